package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// gcHeadroom is the least the heap may grow between two collections of the
// server (see keepHeadroom).
const gcHeadroom = 16 << 20

// keepHeadroom lets the heap grow by at least headroom bytes between two
// collections. Go collects when the heap has grown by GOGC percent (100)
// of what is live, and each collection scans all that is live: a site
// keeps about 6 MiB live, so under load the server collected every 6 MiB
// of garbage, several times a second: 5 % of its CPU, 2 % with 16 MiB of
// headroom (bench/README.md, "The garbage collector"). After each
// collection the percent is set so the next one comes after the larger of
// Go's own growth and headroom: a large heap keeps Go's rule, a small one
// waits for headroom bytes, and the soft memory limit still applies. A
// GOGC the operator sets is left as it is.
func keepHeadroom(headroom uint64) {
	if os.Getenv("GOGC") != "" {
		return
	}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	percent := 100
	var after func(*gcCycle)
	after = func(*gcCycle) {
		metrics.Read(live)
		if n := live[0].Value.Uint64(); n > 0 {
			p := max(100, int(headroom*100/n))
			if p != percent {
				percent = p
				debug.SetGCPercent(p)
			}
		}
		runtime.SetFinalizer(&gcCycle{}, after)
	}
	runtime.SetFinalizer(&gcCycle{}, after)
}

// gcCycle is garbage as soon as it is made: its finalizer runs after the
// next collection. (It holds a pointer so that it is never one of the
// small pointer-free objects the allocator packs together, whose
// finalizers wait for their neighbours.)
type gcCycle struct{ _ *byte }
