// Package hugeheap asks Linux to back the first part of the Go heap with
// transparent huge pages. It has no API: cmd/papernotes imports it for its
// init, which runs before the heavy package initialisers.
//
// Why: on the small VMs papernotes is measured on, the first touch of a
// 4 KB page of fresh memory costs about 15 µs, so a process that parses a
// 10 MB library spends more time in page faults than in parsing. With
// MADV_HUGEPAGE the kernel hands out 2 MB pages, one fault each: touching
// 32 MB took 98 ms in 4 KB pages and 6 ms in 2 MB ones. `check --json` of a
// 10 MB library went from 196 to 90 ms, and search and report gained a
// quarter.
//
// How: the Go runtime maps heap memory itself and never advises it, so the
// init allocates one large slice (which makes the runtime map that much
// address space; nothing is touched), advises its range, and lets a
// collection free it. The heap then grows into advised memory. The kernel
// applies the advice only when transparent huge pages are in "madvise"
// mode; in "always" mode it needs none, in "never" none helps, and under
// strict overcommit or an address-space limit the reservation could fail,
// so in those cases nothing is done. PAPERNOTES_HUGEPAGES=0 turns it off.
package hugeheap

// reserve is the size of the heap address space advised: more than a
// library of 50 MB needs. Untouched, it costs no memory.
const reserve = 256 << 20
