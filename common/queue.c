#include "common/queue.h"

#include <pthread.h>
#include <stdlib.h>

struct cs_queue {
    pthread_mutex_t mu;
    pthread_cond_t not_full;
    pthread_cond_t not_empty;
    void **items;
    size_t cap, head, len;
    int closed;
};

struct cs_queue *cs_queue_new(size_t capacity)
{
    struct cs_queue *q = calloc(1, sizeof(*q));

    if (!q || !capacity)
        goto fail;
    q->items = calloc(capacity, sizeof(void *));
    if (!q->items)
        goto fail;
    q->cap = capacity;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_full, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    return q;
fail:
    free(q);
    return NULL;
}

void cs_queue_free(struct cs_queue *q)
{
    if (!q)
        return;
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    free(q->items);
    free(q);
}

int cs_queue_push(struct cs_queue *q, void *item)
{
    int rc = -1;

    pthread_mutex_lock(&q->mu);
    while (!q->closed && q->len == q->cap)
        pthread_cond_wait(&q->not_full, &q->mu);
    if (!q->closed) {
        q->items[(q->head + q->len) % q->cap] = item;
        q->len++;
        pthread_cond_signal(&q->not_empty);
        rc = 0;
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

int cs_queue_pop(struct cs_queue *q, void **item)
{
    int rc = -1;

    pthread_mutex_lock(&q->mu);
    while (!q->closed && q->len == 0)
        pthread_cond_wait(&q->not_empty, &q->mu);
    if (q->len > 0) {
        *item = q->items[q->head];
        q->head = (q->head + 1) % q->cap;
        q->len--;
        pthread_cond_signal(&q->not_full);
        rc = 0;
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

void cs_queue_close(struct cs_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_full);
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

size_t cs_queue_length(struct cs_queue *q)
{
    size_t n;

    pthread_mutex_lock(&q->mu);
    n = q->len;
    pthread_mutex_unlock(&q->mu);
    return n;
}
