/*
 * infile.h - feeding LOAD DATA LOCAL INFILE straight from a chunk's
 * decompressor, without temporary files (the client library's local-infile
 * handler, set through cs_conn_set_infile).
 *
 * States: IDLE --arm--> ARMED --init--> OPEN --read* (0 at end)--> DONE
 * --end--> IDLE; any source error -> FAILED: read returns -1, error() hands
 * the library our message, the struct keeps the full cs_error for the
 * caller.  init refuses (CS_ERR_HOSTILE, FAILED) unless ARMED and the file
 * name is LOAD_INFILE_NAME, so a hostile server cannot make us read another
 * file, nor the same chunk twice.  end() goes back to IDLE (disarmed), but
 * FAILED stays until the next arm: the library skips end() after a refused
 * init, so after the statement state == FAILED either way.  bytes and err
 * are kept for the caller.  Caution: on a read error the client library
 * still sends the end of file first, so the server may have inserted the
 * rows sent so far: run LOAD DATA in a transaction and roll back on
 * failure.  The callbacks are exposed so unit tests can drive the state
 * machine without a server.  One per connection; not shared between threads.
 */
#ifndef LOAD_INFILE_H
#define LOAD_INFILE_H

#include <stdint.h>

#include "common/conn.h"
#include "common/error.h"
#include "format/source.h"

#define LOAD_INFILE_NAME "csload-chunk"

enum load_infile_state {
    LOAD_INFILE_IDLE = 0, /* not armed: any request is refused */
    LOAD_INFILE_ARMED,    /* load_infile_arm() done, waiting for init */
    LOAD_INFILE_OPEN,
    LOAD_INFILE_DONE,
    LOAD_INFILE_FAILED,
};

struct load_infile {
    struct fmt_source *src;  /* borrowed; set before each LOAD DATA */
    enum load_infile_state state;
    uint64_t bytes;          /* bytes handed to the server */
    struct cs_error err;     /* why it failed */
};

/* Serve LOAD DATA LOCAL on C from F (the client library calls the four
 * functions below). */
void load_infile_attach(struct cs_conn *c, struct load_infile *f);
/* Arm for the next LOAD DATA: SRC (borrowed, never freed here) is read
 * until its end; bytes and err are reset.  SRC NULL disarms. */
void load_infile_arm(struct load_infile *f, struct fmt_source *src);

int load_infile_init(void **ptr, const char *filename, void *userdata);
int load_infile_read(void *ptr, char *buf, unsigned int len);
void load_infile_end(void *ptr);
int load_infile_error(void *ptr, char *msg, unsigned int len);

#endif
