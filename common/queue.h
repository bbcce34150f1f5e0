/*
 * queue.h - a bounded, blocking FIFO of pointers (mutex + two condvars +
 * closed flag).  Producers block while it is full (backpressure), consumers
 * while it is empty.  After cs_queue_close() pushes fail and pops drain what
 * is left, then fail.  Thread-safe; items are owned by whoever popped them.
 */
#ifndef CS_QUEUE_H
#define CS_QUEUE_H

#include <stddef.h>

struct cs_queue;

struct cs_queue *cs_queue_new(size_t capacity);
void cs_queue_free(struct cs_queue *q); /* NULL-safe; items left are not freed */
/* 0 = queued, -1 = the queue is closed (ITEM stays the caller's). */
int cs_queue_push(struct cs_queue *q, void *item);
/* 0 = *item set, -1 = closed and empty. */
int cs_queue_pop(struct cs_queue *q, void **item);
void cs_queue_close(struct cs_queue *q);
size_t cs_queue_length(struct cs_queue *q);

#endif
