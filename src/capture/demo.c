/* The built-in demo desktop: an animated picture for running and testing the
 * sharer with no X server.
 *
 * The picture is a model (title, clock line, typed line, click dots, a
 * bouncing box) and repaint() redraws any rectangle of it from scratch into the
 * frame buffer. Every change repaints and damages only the rectangles it
 * touches, so viewers get the same small updates a real desktop produces. */
#include "capture/capture.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "capture/damage.h"
#include "capture/font.h"

#define MAX_SIDE 8192
#define MAX_FPS 240
#define MAX_DOTS 64
#define TYPED_MAX 128
#define ARROW_W 12
#define ARROW_H 20

static const char title[] = "rdpshare demo desktop";
static const char hint[] = "click to drop a dot, type to write below";
static const char typed_prefix[] = "typed: ";

#define COLOR_TOP 0x1d2b53u
#define COLOR_BOTTOM 0x2e8b8bu
#define COLOR_BAND 0x121a30u
#define COLOR_TITLE 0xffffffu
#define COLOR_SHADOW 0x0b1226u
#define COLOR_CLOCK 0xffe08au
#define COLOR_HINT 0x9fb8ccu
#define COLOR_TYPED 0xe8f0ffu
#define COLOR_BOX 0xf59e0bu
#define COLOR_BOX_EDGE 0x7c2d12u
#define COLOR_DOT 0xff4d6du

struct dot {
	int x, y;
};

struct demo {
	struct capture base;
	int w, h, fps, stride;
	int tfd;
	uint8_t *fb;
	uint32_t *row_color; /* background of each row: gradient, then the band */
	struct damage dmg;
	uint64_t frames;
	/* layout, fixed at open */
	int margin, title_scale, text_scale;
	int title_y, clock_y, hint_y, typed_y;
	struct cap_rect play; /* where the box bounces */
	int box_size, dot_r;
	/* model */
	struct cap_rect box;
	char clock[64];
	uint64_t clock_s; /* the second the clock line shows */
	struct cap_rect clock_rect;
	char typed[TYPED_MAX + 1];
	int n_typed;
	struct cap_rect typed_rect;
	struct dot dots[MAX_DOTS];
	int n_dots, next_dot;
	bool shift_l, shift_r;
	int cur_x, cur_y;
	uint32_t arrow[ARROW_W * ARROW_H];
};

/* A clipped view of the frame buffer: drawing outside clip is skipped. */
struct canvas {
	uint8_t *buf;
	int stride;
	struct cap_rect clip;
};

static struct demo *demo_of(struct capture *c)
{
	return (struct demo *)c;
}

static bool intersects(const struct cap_rect *a, const struct cap_rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static struct cap_rect bounds(const struct cap_rect *a, const struct cap_rect *b)
{
	if (a->w <= 0 || a->h <= 0) {
		return *b;
	}
	if (b->w <= 0 || b->h <= 0) {
		return *a;
	}
	int x0 = a->x < b->x ? a->x : b->x;
	int y0 = a->y < b->y ? a->y : b->y;
	int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
	int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;
	return (struct cap_rect){x0, y0, x1 - x0, y1 - y0};
}

static void put(uint8_t *p, uint32_t bgrx)
{
	p[0] = (uint8_t)bgrx;
	p[1] = (uint8_t)(bgrx >> 8);
	p[2] = (uint8_t)(bgrx >> 16);
	p[3] = 0xff;
}

static void fill_rect(const struct canvas *cv, int x, int y, int w, int h, uint32_t bgrx)
{
	const struct cap_rect *k = &cv->clip;
	int x0 = x > k->x ? x : k->x, y0 = y > k->y ? y : k->y;
	int x1 = x + w < k->x + k->w ? x + w : k->x + k->w;
	int y1 = y + h < k->y + k->h ? y + h : k->y + k->h;
	for (int row = y0; row < y1; row++) {
		uint8_t *p = cv->buf + (size_t)row * (size_t)cv->stride + (size_t)x0 * 4;
		for (int col = x0; col < x1; col++, p += 4) {
			put(p, bgrx);
		}
	}
}

static void fill_circle(const struct canvas *cv, int cx, int cy, int r, uint32_t bgrx)
{
	const struct cap_rect *k = &cv->clip;
	for (int y = cy - r; y <= cy + r; y++) {
		if (y < k->y || y >= k->y + k->h) {
			continue;
		}
		for (int x = cx - r; x <= cx + r; x++) {
			int dx = x - cx, dy = y - cy;
			if (x >= k->x && x < k->x + k->w && dx * dx + dy * dy <= r * r) {
				put(cv->buf + (size_t)y * (size_t)cv->stride + (size_t)x * 4, bgrx);
			}
		}
	}
}

static void text(const struct canvas *cv, int x, int y, const char *s, int scale, uint32_t bgrx)
{
	/* font_draw clips to its buffer, so hand it the clip rectangle as one. */
	const struct cap_rect *k = &cv->clip;
	uint8_t *origin = cv->buf + (size_t)k->y * (size_t)cv->stride + (size_t)k->x * 4;
	font_draw(origin, cv->stride, k->w, k->h, x - k->x, y - k->y, s, scale, bgrx);
}

static struct cap_rect text_rect(int x, int y, const char *s, int scale)
{
	return (struct cap_rect){x, y, font_text_width(s, scale), font_height(scale)};
}

static struct cap_rect dot_rect(const struct demo *d, const struct dot *p)
{
	return (struct cap_rect){p->x - d->dot_r, p->y - d->dot_r, 2 * d->dot_r + 1,
	                         2 * d->dot_r + 1};
}

/* Redraw r (already inside the desktop) from the model, bottom layer first,
 * and damage it. */
static void repaint(struct demo *d, const struct cap_rect *r)
{
	struct canvas cv = {d->fb, d->stride, *r};
	for (int y = r->y; y < r->y + r->h; y++) {
		fill_rect(&cv, r->x, y, r->w, 1, d->row_color[y]);
	}
	int shadow = d->title_scale / 3 > 0 ? d->title_scale / 3 : 1;
	text(&cv, d->margin + shadow, d->title_y + shadow, title, d->title_scale, COLOR_SHADOW);
	text(&cv, d->margin, d->title_y, title, d->title_scale, COLOR_TITLE);
	text(&cv, d->margin, d->clock_y, d->clock, d->text_scale, COLOR_CLOCK);
	text(&cv, d->margin, d->hint_y, hint, d->text_scale, COLOR_HINT);
	char line[sizeof(typed_prefix) + TYPED_MAX + 1];
	snprintf(line, sizeof(line), "%s%s_", typed_prefix, d->typed);
	text(&cv, d->margin, d->typed_y, line, d->text_scale, COLOR_TYPED);
	for (int i = 0; i < d->n_dots; i++) {
		struct cap_rect dr = dot_rect(d, &d->dots[i]);
		if (intersects(&dr, r)) {
			fill_circle(&cv, d->dots[i].x, d->dots[i].y, d->dot_r, COLOR_DOT);
		}
	}
	if (d->box.w > 0 && intersects(&d->box, r)) {
		int edge = d->box_size / 10 > 1 ? d->box_size / 10 : 1;
		fill_rect(&cv, d->box.x, d->box.y, d->box.w, d->box.h, COLOR_BOX_EDGE);
		fill_rect(&cv, d->box.x + edge, d->box.y + edge, d->box.w - 2 * edge,
		          d->box.h - 2 * edge, COLOR_BOX);
	}
	damage_add(&d->dmg, r, d->w, d->h);
}

/* Repaint two rectangles, as one when that is not larger than both apart. */
static void repaint_pair(struct demo *d, const struct cap_rect *a, const struct cap_rect *b)
{
	struct cap_rect u = bounds(a, b);
	int64_t ua = (int64_t)u.w * u.h;
	int64_t sep = (int64_t)a->w * a->h + (int64_t)b->w * b->h;
	struct cap_rect desk = {0, 0, d->w, d->h};
	if (ua <= sep || !intersects(a, &desk) || !intersects(b, &desk)) {
		struct cap_rect c = u;
		if (c.x < 0) {
			c.w += c.x;
			c.x = 0;
		}
		if (c.y < 0) {
			c.h += c.y;
			c.y = 0;
		}
		if (c.x + c.w > d->w) {
			c.w = d->w - c.x;
		}
		if (c.y + c.h > d->h) {
			c.h = d->h - c.y;
		}
		if (c.w > 0 && c.h > 0) {
			repaint(d, &c);
		}
		return;
	}
	const struct cap_rect *both[2] = {a, b};
	for (int i = 0; i < 2; i++) {
		struct cap_rect c = *both[i];
		int x1 = c.x + c.w > d->w ? d->w : c.x + c.w;
		int y1 = c.y + c.h > d->h ? d->h : c.y + c.h;
		c.x = c.x < 0 ? 0 : c.x;
		c.y = c.y < 0 ? 0 : c.y;
		c.w = x1 - c.x;
		c.h = y1 - c.y;
		if (c.w > 0 && c.h > 0) {
			repaint(d, &c);
		}
	}
}

/* Position on a back-and-forth path of length range after travelling dist. */
static int bounce(uint64_t dist, int range)
{
	if (range <= 0) {
		return 0;
	}
	uint64_t p = dist % (uint64_t)(2 * range);
	return (int)(p <= (uint64_t)range ? p : (uint64_t)(2 * range) - p);
}

static bool move_box(struct demo *d)
{
	if (d->box_size <= 0) {
		return false;
	}
	int speed = d->w / 256 > 1 ? d->w / 256 : 1;
	struct cap_rect nb = {
	    d->play.x + bounce(d->frames * (uint64_t)speed * 3, d->play.w - d->box_size),
	    d->play.y + bounce(d->frames * (uint64_t)speed * 2, d->play.h - d->box_size),
	    d->box_size, d->box_size};
	if (nb.x == d->box.x && nb.y == d->box.y && d->box.w > 0) {
		return false;
	}
	struct cap_rect old = d->box;
	d->box = nb;
	repaint_pair(d, &old, &nb);
	return true;
}

/* The frame number is only shown at each new second, so the line changes
 * once a second like a clock rather than on every tick. */
static bool update_clock(struct demo *d)
{
	uint64_t s = d->frames / (uint64_t)d->fps;
	if (d->clock[0] && s == d->clock_s) {
		return false;
	}
	d->clock_s = s;
	struct cap_rect old = d->clock_rect;
	snprintf(d->clock, sizeof(d->clock), "elapsed %llu:%02u:%02u   frame %llu",
	         (unsigned long long)(s / 3600), (unsigned)(s / 60 % 60), (unsigned)(s % 60),
	         (unsigned long long)d->frames);
	d->clock_rect = text_rect(d->margin, d->clock_y, d->clock, d->text_scale);
	repaint_pair(d, &old, &d->clock_rect);
	return true;
}

static void typed_changed(struct demo *d)
{
	char line[sizeof(typed_prefix) + TYPED_MAX + 1];
	snprintf(line, sizeof(line), "%s%s_", typed_prefix, d->typed);
	struct cap_rect old = d->typed_rect;
	d->typed_rect = text_rect(d->margin, d->typed_y, line, d->text_scale);
	repaint_pair(d, &old, &d->typed_rect);
}

static void type_char(struct demo *d, int ch)
{
	int room = (d->w - 2 * d->margin) / font_text_width("x", d->text_scale) -
	           (int)strlen(typed_prefix) - 1;
	if (room > TYPED_MAX) {
		room = TYPED_MAX;
	}
	if (ch == '\b') {
		if (d->n_typed == 0) {
			return;
		}
		d->typed[--d->n_typed] = '\0';
	} else if (ch == '\r' || ch == '\n') {
		if (d->n_typed == 0) {
			return;
		}
		d->n_typed = 0;
		d->typed[0] = '\0';
	} else {
		if (room <= 0) {
			return;
		}
		if (d->n_typed >= room) {
			/* Scroll: keep the newest characters visible. */
			int drop = d->n_typed - room + 1;
			memmove(d->typed, d->typed + drop, (size_t)(d->n_typed - drop));
			d->n_typed -= drop;
		}
		d->typed[d->n_typed++] = (char)ch;
		d->typed[d->n_typed] = '\0';
	}
	typed_changed(d);
}

static void add_dot(struct demo *d, int x, int y)
{
	struct dot p = {x, y};
	if (d->n_dots < MAX_DOTS) {
		d->dots[d->n_dots++] = p;
		struct cap_rect r = dot_rect(d, &p);
		repaint_pair(d, &r, &r);
		return;
	}
	/* Full: the oldest dot makes way and disappears from the screen. */
	struct cap_rect gone = dot_rect(d, &d->dots[d->next_dot]);
	d->dots[d->next_dot] = p;
	d->next_dot = (d->next_dot + 1) % MAX_DOTS;
	struct cap_rect r = dot_rect(d, &p);
	repaint_pair(d, &gone, &r);
}

/* US layout, PC/AT set 1 scancodes 0x02..0x39: unshifted and shifted. */
static const char us_plain[] = "\0\0"
                               "1234567890-=\b\0"
                               "qwertyuiop[]\r\0"
                               "asdfghjkl;'`\0\\"
                               "zxcvbnm,./\0*\0 ";
static const char us_shift[] = "\0\0"
                               "!@#$%^&*()_+\b\0"
                               "QWERTYUIOP{}\r\0"
                               "ASDFGHJKL:\"~\0|"
                               "ZXCVBNM<>?\0*\0 ";

_Static_assert(sizeof(us_plain) == 0x3a + 1 && sizeof(us_shift) == 0x3a + 1,
               "one character for each scancode 0x00..0x39");

static int inject_scancode(struct demo *d, const struct cap_input *in)
{
	if (in->code == 0x2a || in->code == 0x36) {
		*(in->code == 0x2a ? &d->shift_l : &d->shift_r) = in->down;
		return 0;
	}
	if (!in->down || in->code < 0 || in->code >= (int)sizeof(us_plain) - 1) {
		return 0;
	}
	char ch = (d->shift_l || d->shift_r) ? us_shift[in->code] : us_plain[in->code];
	if (ch) {
		type_char(d, ch);
	}
	return 0;
}

static int inject_unicode(struct demo *d, const struct cap_input *in)
{
	if (!in->down) {
		return 0;
	}
	int u = in->code;
	if (u >= 0xdc00 && u <= 0xdfff) {
		return 0; /* second half of a pair: the first already typed its '?' */
	}
	if (u == 8 || u == '\r' || u == '\n') {
		type_char(d, u == 8 ? '\b' : '\r');
	} else if (u >= 32 && u < 127) {
		type_char(d, u);
	} else if (u >= 0xa0) {
		type_char(d, '?'); /* the font is ASCII only */
	}
	return 0;
}

static int demo_inject(struct capture *c, const struct cap_input *in)
{
	struct demo *d = demo_of(c);
	switch (in->kind) {
	case CAP_INPUT_KEY_SCANCODE:
		return inject_scancode(d, in);
	case CAP_INPUT_KEY_UNICODE:
		return inject_unicode(d, in);
	case CAP_INPUT_MOTION:
	case CAP_INPUT_BUTTON:
		d->cur_x = in->x < 0 ? 0 : (in->x >= d->w ? d->w - 1 : in->x);
		d->cur_y = in->y < 0 ? 0 : (in->y >= d->h ? d->h - 1 : in->y);
		if (in->kind == CAP_INPUT_BUTTON && in->down) {
			add_dot(d, d->cur_x, d->cur_y);
		}
		return 0;
	case CAP_INPUT_WHEEL:
		return 0;
	}
	return -EINVAL;
}

static int demo_fd(struct capture *c)
{
	return demo_of(c)->tfd;
}

static int demo_process(struct capture *c)
{
	struct demo *d = demo_of(c);
	uint64_t ticks = 0;
	if (read(d->tfd, &ticks, sizeof(ticks)) != (ssize_t)sizeof(ticks)) {
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	}
	d->frames += ticks;
	bool moved = move_box(d);
	bool ticked = update_clock(d);
	return moved || ticked ? 1 : 0;
}

static int demo_take_damage(struct capture *c, struct cap_rect *out, int max)
{
	return damage_take(&demo_of(c)->dmg, out, max);
}

static int demo_grab(struct capture *c, const struct cap_rect *r, uint8_t *dst, int dst_stride,
                     int dst_x, int dst_y)
{
	struct demo *d = demo_of(c);
	if (r->x < 0 || r->y < 0 || r->w < 0 || r->h < 0 || r->x + r->w > d->w ||
	    r->y + r->h > d->h) {
		return -EINVAL;
	}
	for (int y = 0; y < r->h; y++) {
		memcpy(dst + (size_t)(r->y + y - dst_y) * (size_t)dst_stride +
		           (size_t)(r->x - dst_x) * 4,
		       d->fb + (size_t)(r->y + y) * (size_t)d->stride + (size_t)r->x * 4,
		       (size_t)r->w * 4);
	}
	return 0;
}

static void demo_size(struct capture *c, int *w, int *h)
{
	*w = demo_of(c)->w;
	*h = demo_of(c)->h;
}

static int demo_cursor(struct capture *c, struct cap_cursor *out)
{
	struct demo *d = demo_of(c);
	out->x = d->cur_x;
	out->y = d->cur_y;
	out->visible = true;
	out->shape_serial = 1; /* one shape for the whole life of the demo */
	out->width = ARROW_W;
	out->height = ARROW_H;
	out->xhot = 0;
	out->yhot = 0;
	out->argb = d->arrow;
	return 0;
}

static void demo_destroy(struct capture *c)
{
	struct demo *d = demo_of(c);
	if (!d) {
		return;
	}
	if (d->tfd >= 0) {
		close(d->tfd);
	}
	free(d->fb);
	free(d->row_color);
	free(d);
}

static const struct capture_ops demo_ops = {
    .fd = demo_fd,
    .process = demo_process,
    .take_damage = demo_take_damage,
    .grab = demo_grab,
    .size = demo_size,
    .cursor = demo_cursor,
    .inject = demo_inject,
    .destroy = demo_destroy,
};

/* The pointer, built at open from this picture: '#' black outline, 'o' white
 * fill, ' ' transparent. Hot spot at the tip, (0, 0). */
static const char *const arrow_picture[ARROW_H] = {
    "#           ", "##          ", "#o#         ", "#oo#        ", "#ooo#       ",
    "#oooo#      ", "#ooooo#     ", "#oooooo#    ", "#ooooooo#   ", "#oooooooo#  ",
    "#ooooooooo# ", "#oooooo#####", "#ooo#oo#    ", "#oo# #oo#   ", "#o#  #oo#   ",
    "##    #oo#  ", "      #oo#  ", "       #oo# ", "       #oo# ", "        ##  ",
};

static void make_arrow(uint32_t *argb)
{
	for (int y = 0; y < ARROW_H; y++) {
		for (int x = 0; x < ARROW_W; x++) {
			char ch = arrow_picture[y][x];
			argb[y * ARROW_W + x] =
			    ch == '#' ? 0xff000000u : (ch == 'o' ? 0xffffffffu : 0);
		}
	}
}

static uint32_t mix(uint32_t a, uint32_t b, int num, int den)
{
	uint32_t out = 0;
	for (int shift = 0; shift < 24; shift += 8) {
		int ca = (int)((a >> shift) & 0xff), cb = (int)((b >> shift) & 0xff);
		out |= (uint32_t)(ca + (cb - ca) * num / den) << shift;
	}
	return out;
}

static void layout(struct demo *d)
{
	int w = d->w, h = d->h;
	d->margin = w / 40 > 4 ? w / 40 : 4;
	int ts = (w - 2 * d->margin) / font_text_width(title, 1);
	d->title_scale = ts < 1 ? 1 : (ts > 6 ? 6 : ts);
	d->text_scale = d->title_scale / 2 > 1 ? d->title_scale / 2 : 1;
	d->title_y = d->margin;
	d->clock_y = d->title_y + font_height(d->title_scale) + d->margin / 2;
	int band_h = font_height(d->text_scale) + d->margin;
	int band_y = h - band_h;
	d->typed_y = band_y + d->margin / 2;
	for (int y = 0; y < h; y++) {
		d->row_color[y] =
		    y >= band_y ? COLOR_BAND : mix(COLOR_TOP, COLOR_BOTTOM, y, h > 1 ? h - 1 : 1);
	}
	d->hint_y = d->clock_y + font_height(d->text_scale) + d->margin / 2;
	int top = d->hint_y + font_height(d->text_scale) + d->margin;
	d->play = (struct cap_rect){d->margin, top, w - 2 * d->margin, band_y - d->margin - top};
	int side = d->play.w < d->play.h ? d->play.w : d->play.h;
	int box = side / 4;
	/* No box on a desktop too small for the animation. */
	d->box_size = box > 96 ? 96 : (box >= 4 ? box : 0);
	d->dot_r = d->text_scale * 3;
	d->cur_x = w / 2;
	d->cur_y = h / 2;
}

/* A timerfd ticking fps times a second; 0 or a negative errno. */
static int start_timer(struct demo *d)
{
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->tfd < 0) {
		return -errno;
	}
	long ns = 1000000000L / d->fps;
	struct itimerspec its = {{ns / 1000000000L, ns % 1000000000L},
	                         {ns / 1000000000L, ns % 1000000000L}};
	return timerfd_settime(d->tfd, 0, &its, NULL) < 0 ? -errno : 0;
}

struct capture *capture_demo_open(int width, int height, int fps, int *err)
{
	if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE || fps <= 0 ||
	    fps > MAX_FPS) {
		*err = -EINVAL;
		return NULL;
	}
	struct demo *d = calloc(1, sizeof(*d));
	if (!d) {
		*err = -ENOMEM;
		return NULL;
	}
	d->base.ops = &demo_ops;
	d->w = width;
	d->h = height;
	d->fps = fps;
	d->stride = width * 4;
	d->tfd = -1;
	d->fb = malloc((size_t)d->stride * (size_t)height);
	d->row_color = malloc(sizeof(uint32_t) * (size_t)height);
	int e = d->fb && d->row_color ? start_timer(d) : -ENOMEM;
	if (e < 0) {
		demo_destroy(&d->base);
		*err = e;
		return NULL;
	}
	layout(d);
	make_arrow(d->arrow);
	update_clock(d);
	typed_changed(d);
	move_box(d);
	struct cap_rect all = {0, 0, width, height};
	repaint(d, &all);
	damage_full(&d->dmg, width, height); /* a new consumer needs everything */
	return &d->base;
}
