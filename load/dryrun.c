#include "load/dryrun.h"

#include <stdio.h>
#include <string.h>

#include "load/chunk.h"

static const char *action_name(unsigned char a)
{
    return a == LOAD_ACT_SKIP      ? "left as it is (--if-exists=skip)"
           : a == LOAD_ACT_REPLACE ? "dropped and loaded (--if-exists=replace)"
                                   : "created";
}

/* Chunks of table T an earlier run of this dump committed. */
static size_t chunks_done(const struct load_ctx *ctx, const struct fmt_table *t)
{
    struct cs_buf item = CS_BUF_INIT;
    size_t n = 0;

    for (size_t k = 0; k < t->nchunks; k++) {
        item.len = 0;
        load_chunk_item(&item, &t->chunks[k]);
        n += item.data && load_journal_has(ctx->journal, item.data);
    }
    cs_buf_release(&item);
    return n;
}

static void print_tables(const struct load_ctx *ctx)
{
    const struct fmt_manifest *m = ctx->m;
    const struct cs_log *log = ctx->cfg->log;

    for (size_t i = 0; i < m->ntables; i++) {
        const struct fmt_table *t = &m->tables[i];
        uint64_t bytes = 0;
        size_t done = chunks_done(ctx, t);
        char extra[96] = "";

        for (size_t k = 0; k < t->nchunks; k++)
            bytes += t->chunks[k].file_bytes;
        if (done)
            snprintf(extra, sizeof(extra), ", %zu of them loaded by an earlier run", done);
        cs_log_info(log, "  table %s.%s: %s; %zu chunk(s), %llu row(s), %.1f MB%s", t->schema,
                    t->name, action_name(ctx->table_action[i]), t->nchunks,
                    (unsigned long long)t->rows, (double)bytes / 1e6, extra);
    }
}

static void print_objects(const struct load_ctx *ctx)
{
    const struct fmt_manifest *m = ctx->m;
    size_t n[FMT_OBJ_KIND_COUNT] = {0}, skip = 0, replace = 0;

    for (size_t i = 0; i < m->nobjects; i++) {
        n[m->objects[i].kind]++;
        skip += ctx->object_action[i] == LOAD_ACT_SKIP;
        replace += ctx->object_action[i] == LOAD_ACT_REPLACE;
    }
    cs_log_info(ctx->cfg->log,
                "  objects: %zu database(s), %zu view(s), %zu routine(s), %zu trigger(s), %zu "
                "event(s), %zu sequence(s); %zu left as they are, %zu replaced",
                n[FMT_OBJ_DATABASE], n[FMT_OBJ_VIEW], n[FMT_OBJ_PROCEDURE] + n[FMT_OBJ_FUNCTION],
                n[FMT_OBJ_TRIGGER], n[FMT_OBJ_EVENT], n[FMT_OBJ_SEQUENCE], skip, replace);
}

/* How the chunks would go in (load/tablepath.h chooses per table). */
static const char *tsv_way(const struct load_ctx *ctx)
{
    if (ctx->m->format == FMT_FORMAT_SQL)
        return "the dump's INSERT statements";
    if (ctx->bound_rows)
        return ctx->use_infile
                   ? "arrays of bound rows of a prepared INSERT for tables whose values bind "
                     "(several chunks, or one of 1 MiB or more), LOAD DATA LOCAL INFILE for the "
                     "others"
                   : "arrays of bound rows of a prepared INSERT for tables whose values bind "
                     "(several chunks, or one of 1 MiB or more), INSERT statements for the "
                     "others (local_infile is OFF)";
    return ctx->use_infile ? "LOAD DATA LOCAL INFILE" : "INSERT statements (local_infile is OFF)";
}

void load_dryrun_print(const struct load_ctx *ctx, int journal_exists)
{
    const struct load_config *cfg = ctx->cfg;
    const struct fmt_manifest *m = ctx->m;
    uint64_t rows = 0, bytes = 0;
    size_t chunks = 0;

    for (size_t i = 0; i < m->ntables; i++) {
        rows += m->tables[i].rows;
        chunks += m->tables[i].nchunks;
        for (size_t k = 0; k < m->tables[i].nchunks; k++)
            bytes += m->tables[i].chunks[k].file_bytes;
    }
    cs_log_info(cfg->log,
                "dry run: every check passed; a load would do this (nothing was changed on "
                "the target):");
    cs_log_info(cfg->log,
                "  %zu table(s), %zu chunk(s), %llu row(s), %.1f MB, with %u thread(s) through "
                "%s, the largest tables first; secondary indexes %s; %s",
                m->ntables, chunks, (unsigned long long)rows, (double)bytes / 1e6, cfg->threads,
                tsv_way(ctx),
                cfg->defer == LOAD_DEFER_NONE ? "created with the tables" : "built after the data",
                cfg->verify ? "every chunk verified" : "not verified (--no-verify)");
    print_objects(ctx);
    print_tables(ctx);
    if (m->has_accounts)
        cs_log_info(cfg->log, "  accounts: %zu in the dump, %s", m->naccounts,
                    cfg->load_users ? "created (--load-users)" : "not loaded (no --load-users)");
    if (journal_exists && load_journal_has(ctx->journal, "load:started"))
        cs_log_info(cfg->log,
                    "  an earlier run of this dump is in the target's journal " LOAD_JOURNAL_SCHEMA
                    ": a load resumes it%s",
                    cfg->reset_progress ? " (forgotten with --reset-progress)" : "");
    else
        cs_log_info(cfg->log, "  the progress journal %s",
                    journal_exists ? LOAD_JOURNAL_TABLE " is reused"
                                   : LOAD_JOURNAL_TABLE " is created");
}
