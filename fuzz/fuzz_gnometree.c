/* libFuzzer target for gnome-shell's window list (src/capture/gnometree.c):
 * any bytes give an error or a list within the caps, whose texts are valid
 * UTF-8 with no control character and fit their fields, whose rectangles
 * are bounded, whose windows are never their own owners and whose focus
 * is one of its windows. */
#include <errno.h>
#include <stdint.h>

#include "capture/gnometree.h"
#include "fuzz_checks.h"

static void check_list(const uint8_t *data, size_t size, int out_w, int out_h)
{
	struct gnometree t;
	int r = gnometree_parse(&t, (const char *)data, size, out_w, out_h);
	check(r == 0 || r == -EINVAL || r == -ENOMEM);
	check(t.n >= 0 && t.n <= GNOMETREE_MAX_WINDOWS);
	check((t.n == 0) == (t.v == NULL));
	check(r == 0 || (t.n == 0 && t.focus == 0));
	int focus_found = t.focus == 0;
	for (int i = 0; i < t.n; i++) {
		const struct cap_window *w = &t.v[i];
		check_window(w);
		check(w->owner != w->id && (!w->listed || w->owner == 0));
		focus_found = focus_found || w->id == t.focus;
	}
	check(focus_found);
	gnometree_finish(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_list(data, size, 0, 0);
	check_list(data, size, 1920, 1080);
	return 0;
}
