/* The raw rate of the two instructions a bf16 and an fp32 matrix product are built from, on one
 * core: VDPBF16PS (AVX512-BF16: 16 lanes × 2 bf16 products added into fp32) against VFMADD231PS
 * (16 fp32 multiply-adds), each over 10 independent accumulators so only throughput counts.
 * It explains BENCHMARKS.md's bf16 section: where the bf16 instruction does no more flops per
 * cycle than the fp32 FMA (Intel Xeon without AMX), bf16 products cannot beat sgemm; where it
 * does twice as many (AMD Zen 4, whose 512-bit FMA is half rate), they can.
 * Run: gcc -O2 Scripts/bench/bf16_dot_peak.c -o /tmp/bf16_dot_peak && /tmp/bf16_dot_peak
 * (needs a CPU with avx512_bf16 in /proc/cpuinfo; elsewhere it stops with SIGILL). */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
__attribute__((target("avx512f,avx512bf16"))) double bf(long n){
  __m512 a0=_mm512_set1_ps(0),a1=a0,a2=a0,a3=a0,a4=a0,a5=a0,a6=a0,a7=a0,a8=a0,a9=a0;
  __m512bh x=(__m512bh)_mm512_set1_epi16(0x3f80), y=(__m512bh)_mm512_set1_epi16(0x3f80);
  double t=now();
  for(long i=0;i<n;i++){ a0=_mm512_dpbf16_ps(a0,x,y);a1=_mm512_dpbf16_ps(a1,x,y);a2=_mm512_dpbf16_ps(a2,x,y);a3=_mm512_dpbf16_ps(a3,x,y);a4=_mm512_dpbf16_ps(a4,x,y);
    a5=_mm512_dpbf16_ps(a5,x,y);a6=_mm512_dpbf16_ps(a6,x,y);a7=_mm512_dpbf16_ps(a7,x,y);a8=_mm512_dpbf16_ps(a8,x,y);a9=_mm512_dpbf16_ps(a9,x,y);
    __asm__ volatile(""::"v"(a0),"v"(a1),"v"(a2),"v"(a3),"v"(a4),"v"(a5),"v"(a6),"v"(a7),"v"(a8),"v"(a9)); }
  t=now()-t; return 10.0*n*64/t/1e9; }
__attribute__((target("avx512f"))) double fm(long n){
  __m512 a0=_mm512_set1_ps(0),a1=a0,a2=a0,a3=a0,a4=a0,a5=a0,a6=a0,a7=a0,a8=a0,a9=a0; __m512 x=_mm512_set1_ps(1e-9f);
  double t=now();
  for(long i=0;i<n;i++){ a0=_mm512_fmadd_ps(a0,x,x);a1=_mm512_fmadd_ps(a1,x,x);a2=_mm512_fmadd_ps(a2,x,x);a3=_mm512_fmadd_ps(a3,x,x);a4=_mm512_fmadd_ps(a4,x,x);
    a5=_mm512_fmadd_ps(a5,x,x);a6=_mm512_fmadd_ps(a6,x,x);a7=_mm512_fmadd_ps(a7,x,x);a8=_mm512_fmadd_ps(a8,x,x);a9=_mm512_fmadd_ps(a9,x,x);
    __asm__ volatile(""::"v"(a0),"v"(a1),"v"(a2),"v"(a3),"v"(a4),"v"(a5),"v"(a6),"v"(a7),"v"(a8),"v"(a9)); }
  t=now()-t; return 10.0*n*32/t/1e9; }
int main(){ for(int r=0;r<3;r++) printf("vdpbf16ps %.1f GFLOP/s   vfmadd231ps %.1f GFLOP/s (1 thread)\n", bf(100000000), fm(100000000)); }
