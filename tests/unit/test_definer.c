/* load/definer: the DEFINER clause found and rewritten on the tokens of
 * SHOW CREATE output of every kind, nothing else touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/definer.h"

/* TEXT rewritten to USER@HOST (USER NULL: CURRENT_USER). */
static char *rewrite(const char *text, const char *user, const char *host)
{
    struct load_definer d;
    char *out;

    assert_int_equal(load_definer_find(text, 1, &d), 1);
    out = load_definer_rewrite(text, &d, user, host);
    load_definer_release(&d);
    assert_non_null(out);
    return out;
}

static void test_find(void **state)
{
    struct load_definer d;
    const char *view = "CREATE ALGORITHM=UNDEFINED DEFINER=`app`@`%` SQL SECURITY DEFINER VIEW "
                       "`v` AS select 1";

    (void)state;
    assert_int_equal(load_definer_find(view, 1, &d), 1);
    assert_string_equal(d.user, "app");
    assert_string_equal(d.host, "%");
    assert_int_equal(d.off, strlen("CREATE ALGORITHM=UNDEFINED "));
    assert_int_equal(d.len, strlen("DEFINER=`app`@`%`"));
    load_definer_release(&d);
    /* quoted with backticks inside, a MariaDB role without a host */
    assert_int_equal(load_definer_find("CREATE DEFINER=`a``b` TRIGGER t BEFORE INSERT ON x FOR "
                                       "EACH ROW SET @a = 1",
                                       1, &d),
                     1);
    assert_string_equal(d.user, "a`b");
    assert_null(d.host);
    load_definer_release(&d);
    /* CURRENT_USER, with or without parentheses */
    assert_int_equal(
        load_definer_find("CREATE DEFINER=CURRENT_USER() PROCEDURE p() SELECT 1", 1, &d), 1);
    assert_null(d.user);
    assert_int_equal(d.len, strlen("DEFINER=CURRENT_USER()"));
    load_definer_release(&d);
    /* none before the object word: a DEFINER later in the body is not one */
    assert_int_equal(load_definer_find("CREATE PROCEDURE p() SELECT 'DEFINER=`x`@`y`'", 1, &d), 0);
    assert_int_equal(load_definer_find("CREATE VIEW v AS SELECT 1 AS DEFINER", 1, &d), 0);
}

static void test_rewrite(void **state)
{
    const char *ev = "CREATE DEFINER=`ghost`@`%` EVENT `ev` ON SCHEDULE EVERY 1 DAY DO "
                     "DELETE FROM t WHERE note = 'DEFINER=`ghost`@`%`'";
    const char *view = "CREATE ALGORITHM=UNDEFINED DEFINER=`ghost`@`%` SQL SECURITY INVOKER VIEW "
                       "`v` AS select 1";
    char *out;

    (void)state;
    out = rewrite(ev, NULL, NULL);
    assert_string_equal(out, "CREATE DEFINER=CURRENT_USER EVENT `ev` ON SCHEDULE EVERY 1 DAY DO "
                             "DELETE FROM t WHERE note = 'DEFINER=`ghost`@`%`'");
    free(out);
    out = rewrite(view, "o`wn", "10.%");
    assert_string_equal(out, "CREATE ALGORITHM=UNDEFINED DEFINER=`o``wn`@`10.%` SQL SECURITY "
                             "INVOKER VIEW `v` AS select 1");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_rewrite),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
