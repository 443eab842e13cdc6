/* Encode cost of the shared H.264 stream, without network or X: frames are
 * published to a hub as the engine would, and N viewers take every unit
 * from one vstream group. Prints one JSON line per case:
 *   {"case":..., "viewers":N, "frames":F, "encode_ms_p50":..., "encode_ms_p95":...,
 *    "cpu_ms_per_frame":..., "bytes_per_frame":..., "keys":K, "lossless_units":L}
 * Cases: small_update (a typed character: the lossless path), window_update
 * (a 480x360 window redrawn: H.264 of part of the picture), full_motion
 * (every pixel changes: H.264 of all of it).
 * encode_ms: time for the first viewer's vstream_next (conversion + x264);
 * cpu_ms_per_frame: process CPU over all viewers' calls, per frame.
 *   bench_vstream [FRAMES [CASE]]   (default 120, every case) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "encode/vstream.h"
#include "util/clock.h"

#define W 1920
#define H 1080

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* a desktop-like picture: bands of colour and a gradient */
static void paint_base(struct frame *f)
{
	for (int y = 0; y < H; y++) {
		uint32_t *row = (uint32_t *)(f->data + (size_t)y * (size_t)f->stride);
		for (int x = 0; x < W; x++) {
			row[x] = y < 200 ? 0x3060a0u : (uint32_t)((x * 255 / W) * 0x010101);
		}
	}
}

enum workload { SMALL, WINDOW, MOTION };

static void change(struct frame *f, enum workload w, int i)
{
	if (w == SMALL) {
		/* one character cell typed: 8x16 pixels */
		int x = 100 + (i % 120) * 8, y = 600;
		for (int yy = 0; yy < 16; yy++) {
			uint32_t *row =
			    (uint32_t *)(f->data + (size_t)(y + yy) * (size_t)f->stride);
			for (int xx = 0; xx < 8; xx++) {
				row[x + xx] = ((xx + yy + i) & 3) ? 0x202020 : 0xd0d0d0;
			}
		}
		f->rects[0] = (struct cap_rect){x, y, 8, 16};
		f->n_rects = 1;
		return;
	}
	if (w == WINDOW) {
		/* a 480x360 window's content redrawn: H.264, not the small path */
		for (int y = 300; y < 660; y++) {
			uint32_t *row = (uint32_t *)(f->data + (size_t)y * (size_t)f->stride);
			for (int x = 600; x < 1080; x++) {
				row[x] = (uint32_t)(((x + i * 3) / 8 + y / 8) & 7) * 0x182028u;
			}
		}
		f->rects[0] = (struct cap_rect){600, 300, 480, 360};
		f->n_rects = 1;
		return;
	}
	for (int y = 0; y < H; y++) {
		uint32_t *row = (uint32_t *)(f->data + (size_t)y * (size_t)f->stride);
		for (int x = 0; x < W; x++) {
			unsigned v = (unsigned)(x + y) + (unsigned)i * 4;
			row[x] = ((v & 0xff) << 16) | (((v >> 1) & 0xff) << 8) | ((v * 3) & 0xff);
		}
	}
	f->rects[0] = (struct cap_rect){0, 0, W, H};
	f->n_rects = 1;
}

static int run(const char *name, enum workload w, int viewers, int frames)
{
	struct hub hub;
	hub_init(&hub, -1);
	struct vstream *v = vstream_join(&hub, W, H);
	for (int i = 1; i < viewers; i++) {
		vstream_join(&hub, W, H);
	}
	if (!v) {
		fprintf(stderr, "bench_vstream: no encoder\n");
		return 1;
	}
	uint64_t last[64] = {0};
	double *enc = calloc((size_t)frames, sizeof(*enc));
	struct frame *prev = NULL;
	double cpu = 0;
	size_t bytes = 0;
	int64_t now = 0;
	for (int i = 0; i <= frames; i++) {
		struct frame *f = prev ? frame_new_copy(prev) : frame_new(W, H);
		if (!prev) {
			paint_base(f);
			f->full = true;
			f->rects[0] = (struct cap_rect){0, 0, W, H};
			f->n_rects = 1;
		}
		if (prev) {
			change(f, w, i);
		}
		frame_unref(prev);
		prev = frame_ref(f);
		hub_publish(&hub, frame_ref(f));
		now += 33;
		double c0 = cpu_ms();
		for (int k = 0; k < viewers; k++) {
			struct vunit *u;
			int wait;
			bool fresh;
			int64_t t0 = util_clock_us();
			/* each viewer drains what is due: its H.264 unit */
			while (vstream_next(v, &hub, &last[k], now, &u, &fresh, &wait) ==
			       VSTREAM_UNIT) {
				if (k == 0 && i > 0) {
					bytes += u->bytes;
				}
				vunit_unref(u);
			}
			if (k == 0 && i > 0) {
				enc[i - 1] = (double)(util_clock_us() - t0) / 1e3;
			}
		}
		if (i > 0) {
			cpu += cpu_ms() - c0;
		}
		frame_unref(f);
	}
	frame_unref(prev);
	struct vstream_stats st;
	vstream_get_stats(v, &st);
	qsort(enc, (size_t)frames, sizeof(*enc), cmp_d);
	printf("{\"case\":\"%s\",\"viewers\":%d,\"frames\":%d,\"encode_ms_p50\":%.3f,"
	       "\"encode_ms_p95\":%.3f,\"cpu_ms_per_frame\":%.3f,\"bytes_per_frame\":%zu,"
	       "\"keys\":%llu,\"lossless_units\":%llu,\"small_units\":%llu}\n",
	       name, viewers, frames, enc[frames / 2], enc[frames * 95 / 100], cpu / frames,
	       bytes / (size_t)frames, (unsigned long long)st.keys,
	       (unsigned long long)st.lossless_units, (unsigned long long)st.small_units);
	fflush(stdout);
	free(enc);
	for (int i = 0; i < viewers; i++) {
		vstream_leave(&hub, v);
	}
	hub_fini(&hub);
	return 0;
}

int main(int argc, char **argv)
{
	int frames = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 120;
	if (frames <= 0) {
		fprintf(stderr, "usage: bench_vstream [FRAMES]\n");
		return 2;
	}
	const char *only = argc > 2 ? argv[2] : NULL;
	int rc = 0;
	for (int n = 1; n <= 16; n *= 16) {
		if (!only || strcmp(only, "small_update") == 0) {
			rc |= run("small_update", SMALL, n, frames);
		}
		if (!only || strcmp(only, "window_update") == 0) {
			rc |= run("window_update", WINDOW, n, frames);
		}
		if (!only || strcmp(only, "full_motion") == 0) {
			rc |= run("full_motion", MOTION, n, frames);
		}
	}
	return rc;
}
