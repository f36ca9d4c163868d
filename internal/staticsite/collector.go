package staticsite

import (
	"os"
	"runtime/debug"
)

// memoryLimit is the Go heap's soft limit during a full export
// (GOMEMLIMIT overrides it). An export's live heap stays under ~140 MB at
// 100,000 articles, but with the default GC pacing the heap grew to 250 MB
// between collections and the process to 391 MB; with this limit, in the
// same run, 249 MB for 5 % more CPU (bench/README.md).
const memoryLimit = 200 << 20

// gcPercent is the export's GOGC (GOGC overrides it). Its live heap
// is about 20 MB at 10,000 articles, so Go's default collected every
// 20 MB of garbage: 60 collections and 12 % of the CPU of an export
// (GODEBUG=gctrace=1). At 300 the heap may grow four times what is live
// (160 MB at 10,000, bench/README.md); the memory limit above still holds
// a large archive's.
const gcPercent = 300

// TuneCollector sets the process's collector for a full export, as the
// CLI and bench/exportprof run one: the limit and GOGC above, unless the
// operator set GOMEMLIMIT or GOGC.
func TuneCollector() {
	if os.Getenv("GOMEMLIMIT") == "" { // the operator's own limit wins
		debug.SetMemoryLimit(memoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
