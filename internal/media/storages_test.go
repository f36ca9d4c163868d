package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"os"
	"strings"
	"testing"
)

// testStorages returns fresh, empty storages for a media test to run
// against: the local folder always, and more where their servers run.
func testStorages(t *testing.T) map[string]Storage {
	t.Helper()
	storages := map[string]Storage{"local": &Local{Dir: t.TempDir()}}
	if s := newTestS3(t); s != nil {
		storages["s3"] = s
	}
	return storages
}

func TestEveryTestStorageKeepsAFile(t *testing.T) {
	ctx := context.Background()
	storages := testStorages(t)
	if _, _, ok := testS3Config(); ok && storages["s3"] == nil {
		t.Fatal("NEWSDESK_TEST_S3_ENDPOINT is set but testStorages has no s3")
	}
	for name, s := range storages {
		t.Run(name, func(t *testing.T) {
			if err := s.Put(ctx, "ab/note.txt", strings.NewReader("稿件"), int64(len("稿件")), "text/plain"); err != nil {
				t.Fatal(err)
			}
			f, err := s.Get(ctx, "ab/note.txt")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got, err := io.ReadAll(f); err != nil || string(got) != "稿件" {
				t.Fatalf("read %q, %v", got, err)
			}
		})
	}
}

// testS3Config is the S3-compatible server that scripts/services/s3.sh
// starts; ok is false when none is configured.
func testS3Config() (c S3Server, bucket string, ok bool) {
	c = S3Server{
		Endpoint:  os.Getenv("NEWSDESK_TEST_S3_ENDPOINT"),
		Region:    "us-east-1",
		AccessKey: os.Getenv("NEWSDESK_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("NEWSDESK_TEST_S3_SECRET_KEY"),
	}
	bucket = os.Getenv("NEWSDESK_TEST_S3_BUCKET")
	return c, bucket, c.Endpoint != "" && bucket != ""
}

// newTestS3 opens the test bucket under a fresh prefix of its own, so
// tests never see each other's files, and empties that prefix when the
// test ends. It returns nil when no server is configured.
func newTestS3(t testing.TB) Storage {
	t.Helper()
	c, bucket, ok := testS3Config()
	if !ok {
		return nil
	}
	b := make([]byte, 8)
	rand.Read(b)
	prefix := "test-" + hex.EncodeToString(b)
	ctx := context.Background()
	s, err := OpenS3(ctx, "s3://"+bucket+"/"+prefix, c)
	if err != nil {
		t.Fatalf("NEWSDESK_TEST_S3_ENDPOINT is set but the server does not answer: %v", err)
	}
	t.Cleanup(func() {
		var keys []string
		if err := s.List(ctx, "", func(fi FileInfo) error {
			keys = append(keys, fi.Key)
			return nil
		}); err != nil {
			t.Errorf("clean up s3 prefix %s: %v", prefix, err)
		}
		for _, k := range keys {
			if err := s.Delete(ctx, k); err != nil {
				t.Errorf("clean up s3 prefix %s: %v", prefix, err)
			}
		}
	})
	return s
}

// Unexported names that the external tests in s3_test.go use.
var (
	NewTestS3       = newTestS3
	TestS3Config    = testS3Config
	ParseS3URL      = parseS3URL
	ParseS3Endpoint = parseS3Endpoint
)
