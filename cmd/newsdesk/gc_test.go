package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent reads the collector's percent without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// With a few MiB live, keepHeadroom raises the percent after a collection
// so that the next waits for the headroom; a GOGC from the operator is
// left alone. (The finalizers keep running for the rest of the tests,
// as they do in the server.)
func TestKeepHeadroomRaisesThePercentOfASmallHeap(t *testing.T) {
	t.Setenv("GOGC", "100")
	keepHeadroom(64 << 20)
	runtime.GC()
	time.Sleep(50 * time.Millisecond) // a finalizer would have run
	if p := gcPercent(); p != 100 {
		t.Fatalf("with GOGC set the percent became %d", p)
	}

	t.Setenv("GOGC", "")
	keepHeadroom(64 << 20)
	// The finalizer runs after a collection, on its own goroutine.
	for deadline := time.Now().Add(10 * time.Second); gcPercent() == 100 && time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if p := gcPercent(); p <= 100 {
		t.Fatalf("with %d KiB live the percent is %d, want more than 100 for a 64 MiB headroom", m.HeapAlloc>>10, p)
	}
}
