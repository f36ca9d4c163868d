package media_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/media"
	"newsdesk/internal/media/storagetest"
	"newsdesk/internal/model"
)

func skipWithoutS3(t testing.TB) {
	t.Helper()
	if _, _, ok := media.TestS3Config(); !ok {
		t.Skip("NEWSDESK_TEST_S3_ENDPOINT is unset: no S3-compatible server (scripts/services/s3.sh starts one)")
	}
}

func TestS3Storage(t *testing.T) {
	skipWithoutS3(t)
	storagetest.Run(t, func(t *testing.T) media.Storage { return media.NewTestS3(t) })
}

func TestS3GetMissingFailsAtGet(t *testing.T) {
	skipWithoutS3(t)
	s := media.NewTestS3(t)
	f, err := s.Get(context.Background(), "ab/missing.jpg")
	if !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("get missing = %v, %v; want model.ErrNotFound before any read", f, err)
	}
}

func TestS3KeysLiveUnderThePrefix(t *testing.T) {
	skipWithoutS3(t)
	ctx := context.Background()
	c, bucket, _ := media.TestS3Config()
	site := media.NewTestS3(t)
	// The same bucket opened without the prefix sees the file under it.
	whole, err := media.OpenS3(ctx, "s3://"+bucket, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Put(ctx, "ab/x.txt", strings.NewReader("x"), 1, "text/plain"); err != nil {
		t.Fatal(err)
	}
	var under []string
	if err := whole.List(ctx, "test-", func(fi media.FileInfo) error {
		if strings.HasSuffix(fi.Key, "/ab/x.txt") {
			under = append(under, fi.Key)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(under) != 1 {
		t.Fatalf("the whole bucket lists %q for the prefixed key", under)
	}
	if _, err := whole.Stat(ctx, "ab/x.txt"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the key is visible outside its prefix: %v", err)
	}
}

func TestS3PutUnknownSize(t *testing.T) {
	skipWithoutS3(t)
	ctx := context.Background()
	s := media.NewTestS3(t)
	data := bytes.Repeat([]byte("图片"), 50_000)
	// io.MultiReader hides the size, as an upload of unknown length does.
	if err := s.Put(ctx, "u/big.bin", io.MultiReader(bytes.NewReader(data)), -1, "application/octet-stream"); err != nil {
		t.Fatal(err)
	}
	fi, err := s.Stat(ctx, "u/big.bin")
	if err != nil || fi.Size != int64(len(data)) {
		t.Fatalf("stat = %+v, %v; want %d bytes", fi, err, len(data))
	}
}

func TestOpenS3RefusesMissingBucket(t *testing.T) {
	skipWithoutS3(t)
	c, _, _ := media.TestS3Config()
	_, err := media.OpenS3(context.Background(), "s3://newsdesk-no-such-bucket/site", c)
	if err == nil || !strings.Contains(err.Error(), `"newsdesk-no-such-bucket"`) || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("open missing bucket: %v; want an error naming the bucket", err)
	}
}

func TestOpenS3RefusesWrongCredentials(t *testing.T) {
	skipWithoutS3(t)
	c, bucket, _ := media.TestS3Config()
	for name, change := range map[string]func(){
		"secret":     func() { c.SecretKey += "-wrong" },
		"access key": func() { c.AccessKey = "newsdesk-unknown" },
	} {
		c, _, _ = media.TestS3Config()
		change()
		_, err := media.OpenS3(context.Background(), "s3://"+bucket+"/site", c)
		if err == nil || !strings.Contains(err.Error(), "credentials refused") || !strings.Contains(err.Error(), bucket) {
			t.Errorf("wrong %s: %v; want credentials refused, naming the bucket", name, err)
		}
	}
}

func TestParseS3URL(t *testing.T) {
	for _, tc := range []struct {
		url, bucket, prefix string
		bad                 bool
	}{
		{url: "s3://media", bucket: "media"},
		{url: "s3://media/", bucket: "media"},
		{url: "s3://media/site", bucket: "media", prefix: "site/"},
		{url: "s3://media/site/", bucket: "media", prefix: "site/"},
		{url: "s3://news.example-1/a/b", bucket: "news.example-1", prefix: "a/b/"},
		{url: "s3://media/中文", bucket: "media", prefix: "中文/"},
		{url: "", bad: true},
		{url: "media/site", bad: true},
		{url: "http://media/site", bad: true},
		{url: "s3://", bad: true},
		{url: "s3:///site", bad: true},
		{url: "s3://Media/site", bad: true},
		{url: "s3://me/site", bad: true},
		{url: "s3://my_bucket/site", bad: true},
		{url: "s3://media:9000/site", bad: true},
		{url: "s3://key:secret@media/site", bad: true},
		{url: "s3://media/site?x=1", bad: true},
		{url: "s3://media/a//b", bad: true},
		{url: "s3://media/a/../b", bad: true},
		{url: "s3://media/../b", bad: true},
		{url: "s3://media/./b", bad: true},
	} {
		bucket, prefix, err := media.ParseS3URL(tc.url)
		switch {
		case tc.bad && err == nil:
			t.Errorf("%q: accepted as bucket %q prefix %q", tc.url, bucket, prefix)
		case !tc.bad && err != nil:
			t.Errorf("%q: %v", tc.url, err)
		case !tc.bad && (bucket != tc.bucket || prefix != tc.prefix):
			t.Errorf("%q: bucket %q prefix %q, want %q %q", tc.url, bucket, prefix, tc.bucket, tc.prefix)
		}
	}
}

func TestParseS3Endpoint(t *testing.T) {
	for _, tc := range []struct {
		endpoint, host string
		secure, bad    bool
	}{
		{endpoint: "http://127.0.0.1:7070", host: "127.0.0.1:7070"},
		{endpoint: "http://127.0.0.1:7070/", host: "127.0.0.1:7070"},
		{endpoint: "https://s3.example.org", host: "s3.example.org", secure: true},
		{endpoint: "127.0.0.1:7070", host: "127.0.0.1:7070"},
		{endpoint: "localhost:9000", host: "localhost:9000"},
		{endpoint: "[::1]:9000", host: "[::1]:9000"},
		{endpoint: "s3.example.org:443", host: "s3.example.org:443", secure: true},
		{endpoint: "s3.example.org", host: "s3.example.org", secure: true},
		{endpoint: "", host: "s3.amazonaws.com", secure: true},
		{endpoint: "ftp://127.0.0.1:7070", bad: true},
		{endpoint: "http://127.0.0.1:7070/bucket", bad: true},
		{endpoint: "http://", bad: true},
		{endpoint: "127.0.0.1:7070/bucket", bad: true},
	} {
		host, secure, err := media.ParseS3Endpoint(tc.endpoint)
		switch {
		case tc.bad && err == nil:
			t.Errorf("%q: accepted as %q (secure %v)", tc.endpoint, host, secure)
		case !tc.bad && err != nil:
			t.Errorf("%q: %v", tc.endpoint, err)
		case !tc.bad && (host != tc.host || secure != tc.secure):
			t.Errorf("%q: %q secure %v, want %q secure %v", tc.endpoint, host, secure, tc.host, tc.secure)
		}
	}
}

// The 1 MB benchmarks compare the bucket with the local folder.
func benchStorages(b *testing.B) map[string]media.Storage {
	storages := map[string]media.Storage{"local": &media.Local{Dir: b.TempDir()}}
	if s := media.NewTestS3(b); s != nil {
		storages["s3"] = s
	}
	return storages
}

func benchData(b *testing.B) []byte {
	data := make([]byte, 1<<20)
	rand.Read(data)
	return data
}

func BenchmarkS3Put(b *testing.B) {
	ctx := context.Background()
	data := benchData(b)
	for _, name := range []string{"local", "s3"} {
		b.Run(name, func(b *testing.B) {
			s, ok := benchStorages(b)[name]
			if !ok {
				b.Skip("NEWSDESK_TEST_S3_ENDPOINT is unset: no S3-compatible server")
			}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := s.Put(ctx, "ab/bench.jpg", bytes.NewReader(data), int64(len(data)), "image/jpeg"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkS3Get(b *testing.B) {
	ctx := context.Background()
	data := benchData(b)
	for _, name := range []string{"local", "s3"} {
		b.Run(name, func(b *testing.B) {
			s, ok := benchStorages(b)[name]
			if !ok {
				b.Skip("NEWSDESK_TEST_S3_ENDPOINT is unset: no S3-compatible server")
			}
			if err := s.Put(ctx, "ab/bench.jpg", bytes.NewReader(data), int64(len(data)), "image/jpeg"); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				f, err := s.Get(ctx, "ab/bench.jpg")
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, f)
				f.Close()
				if err != nil || n != int64(len(data)) {
					b.Fatalf("read %d bytes: %v", n, err)
				}
			}
		})
	}
}

func TestS3ServesRanges(t *testing.T) {
	skipWithoutS3(t)
	ctx := context.Background()
	s := media.NewTestS3(t)
	data := bytes.Repeat([]byte("0123456789"), 100_000)
	if err := s.Put(ctx, "r/range.bin", bytes.NewReader(data), int64(len(data)), "application/octet-stream"); err != nil {
		t.Fatal(err)
	}
	f, err := s.Get(ctx, "r/range.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	req := httptest.NewRequest("GET", "/media/r/range.bin", nil)
	req.Header.Set("Range", "bytes=500003-500006")
	rec := httptest.NewRecorder()
	http.ServeContent(rec, req, "range.bin", time.Time{}, f)
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "3456" {
		t.Fatalf("range answer %d %q", rec.Code, rec.Body.String())
	}
}

func TestS3ListsInKeyOrder(t *testing.T) {
	skipWithoutS3(t)
	ctx := context.Background()
	s := media.NewTestS3(t)
	// Byte order puts "-" (0x2d) and "." (0x2e) before "/" (0x2f): a walk
	// of folders would list a/b.jpg first.
	for _, k := range []string{"a/b.jpg", "a.jpg", "a-b.jpg", "b.jpg"} {
		if err := s.Put(ctx, k, strings.NewReader(k), int64(len(k)), "image/jpeg"); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	if err := s.List(ctx, "", func(fi media.FileInfo) error {
		got = append(got, fi.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "a-b.jpg,a.jpg,a/b.jpg,b.jpg" {
		t.Errorf("list = %s", strings.Join(got, ","))
	}
}
