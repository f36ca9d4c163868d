package media

import (
	"context"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store/sqlstore"
)

// peakHeap samples the heap in use while fn runs and returns its peak in MiB.
func peakHeap(fn func()) float64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return float64(peak.Load()) / (1 << 20)
}

// BenchmarkVariants12MP makes the six variants (480, 960, 1600 px in JPEG
// and WebP) of a 12-megapixel phone photo: decode, resize, encode.
func BenchmarkVariants12MP(b *testing.B) {
	photo := testPhoto(b, 1, 4000, 3000)
	runtime.GC()
	var peak float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		peak = max(peak, peakHeap(func() {
			img, _, err := decodeImage(photo)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := makeVariants(img, "image/jpeg", true); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
	b.ReportMetric(peak, "MiB-peak-heap")
}

// BenchmarkArticle20Photos uploads the 20 photos of a story (12 MP each,
// as phones take them) and runs the jobs until all their variants exist:
// how long after the upload the story's pages are fully responsive.
func BenchmarkArticle20Photos(b *testing.B) {
	photos := make([][]byte, 20)
	for i := range photos {
		photos[i] = testPhoto(b, i, 4032, 3024)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := benchService(b)
		var ids []int64
		b.StartTimer()
		for _, p := range photos {
			m, err := s.Save(context.Background(), model.SystemActor("test"), "p.jpg", p, model.Media{Alt: "x"})
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, m.ID)
		}
		for _, id := range ids {
			if err := s.MakeVariants(context.Background(), id); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/article")
}

func benchService(b *testing.B) *Service {
	db, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return &Service{Store: db, Files: &Local{Dir: b.TempDir()}, MaxSize: 50 << 20}
}
