/*
 * LD_PRELOAD shim for SIPp 3.6.1: it reads time with CLOCK_MONOTONIC_COARSE (one jiffy, 4 ms here),
 * which quantizes its response times to 4 ms. Mapping the coarse clocks to the precise ones gives
 * sub-millisecond figures (bench-facts.md).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

int clock_gettime(clockid_t clock_id, struct timespec *tp) {
  static int (*real_clock_gettime)(clockid_t, struct timespec *) = 0;
  if (!real_clock_gettime) real_clock_gettime = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
  if (clock_id == CLOCK_MONOTONIC_COARSE) clock_id = CLOCK_MONOTONIC;
  else if (clock_id == CLOCK_REALTIME_COARSE) clock_id = CLOCK_REALTIME;
  return real_clock_gettime(clock_id, tp);
}
