package media

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"path"
	"strings"

	"newsdesk/internal/model"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// S3 keeps media files in a bucket of an S3-compatible server, each key
// under the prefix that the s3:// URL names.
type S3 struct {
	client   *minio.Client
	bucket   string
	prefix   string // "" or ending in "/"; put before every key
	endpoint string // for messages
}

var _ Storage = (*S3)(nil)

// s3PartSize bounds what one upload holds in memory: files larger than
// this, or of unknown size, go up in parts of this size.
const s3PartSize = 16 << 20

// S3Server is the S3-compatible server that holds a bucket and the
// credentials to sign in to it.
type S3Server struct {
	Endpoint  string // host:port or URL; default the AWS endpoint of Region
	Region    string
	AccessKey string
	SecretKey string
}

// OpenS3 opens the S3-compatible bucket named by url (s3://bucket/prefix)
// on the server c and checks that it exists and that the credentials are
// accepted.
func OpenS3(ctx context.Context, url string, c S3Server) (Storage, error) {
	bucket, prefix, err := parseS3URL(url)
	if err != nil {
		return nil, err
	}
	host, secure, err := parseS3Endpoint(c.Endpoint)
	if err != nil {
		return nil, err
	}
	client, err := minio.New(host, &minio.Options{
		Creds:  credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure: secure,
		Region: c.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 endpoint %s: %w", host, err)
	}
	s := &S3{client: client, bucket: bucket, prefix: prefix, endpoint: client.EndpointURL().String()}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// parseS3URL splits s3://bucket/some/prefix into the bucket and the key
// prefix ("some/prefix/"; "" for the whole bucket).
func parseS3URL(raw string) (bucket, prefix string, err error) {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("s3 url %q: %w", raw, err)
	}
	switch {
	case u.Scheme != "s3":
		return "", "", fmt.Errorf("s3 url %q: want s3://bucket/prefix", raw)
	case u.User != nil || u.Port() != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return "", "", fmt.Errorf("s3 url %q: want only s3://bucket/prefix, no credentials, port, query or fragment", raw)
	}
	bucket = u.Host
	if err := s3utils.CheckValidBucketNameStrict(bucket); err != nil {
		return "", "", fmt.Errorf("s3 url %q: bucket %q: %w", raw, bucket, err)
	}
	prefix = strings.Trim(u.Path, "/")
	if prefix != "" {
		if validKey(prefix) != nil {
			return "", "", fmt.Errorf("s3 url %q: bad prefix %q", raw, prefix)
		}
		prefix += "/"
	}
	return bucket, prefix, nil
}

// parseS3Endpoint turns the configured endpoint (http://host:port,
// https://host:port or a bare host:port) into minio's host and TLS flag.
// A bare host speaks TLS unless it is this machine; no endpoint means
// AWS itself.
func parseS3Endpoint(endpoint string) (host string, secure bool, err error) {
	if endpoint == "" {
		return "s3.amazonaws.com", true, nil
	}
	if !strings.Contains(endpoint, "://") {
		h := endpoint
		if hh, _, err := net.SplitHostPort(endpoint); err == nil {
			h = hh
		}
		loopback := h == "localhost" || h == "127.0.0.1" || h == "::1"
		if strings.ContainsAny(endpoint, "/?#") {
			return "", false, fmt.Errorf("s3 endpoint %q: want host:port or http(s)://host:port", endpoint)
		}
		return endpoint, !loopback, nil
	}
	u, err := neturl.Parse(endpoint)
	if err != nil {
		return "", false, fmt.Errorf("s3 endpoint %q: %w", endpoint, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return "", false, fmt.Errorf("s3 endpoint %q: want host:port or http(s)://host:port, without a path", endpoint)
	}
	return u.Host, u.Scheme == "https", nil
}

// check makes sure the bucket is there and the credentials are accepted,
// so that a misconfigured server fails at start-up rather than at the
// first upload. It lists rather than asks for the bucket (HEAD): a HEAD
// answer has no body to tell a missing bucket from an unknown access key,
// which some servers answer with 404 too.
func (s *S3) check(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var err error
	for oi := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, MaxKeys: 1}) {
		err = oi.Err
		break
	}
	if err == nil {
		return nil
	}
	er := minio.ToErrorResponse(err)
	switch er.Code {
	case minio.NoSuchBucket:
		return fmt.Errorf("s3 bucket %q at %s does not exist", s.bucket, s.endpoint)
	case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "XAdminUserNotFound":
		return fmt.Errorf("s3 bucket %q at %s: credentials refused (check the access and secret keys): %w", s.bucket, s.endpoint, err)
	}
	if er.StatusCode == http.StatusForbidden || er.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("s3 bucket %q at %s: credentials refused (check the access and secret keys): %w", s.bucket, s.endpoint, err)
	}
	return fmt.Errorf("s3 bucket %q at %s: %w", s.bucket, s.endpoint, err)
}

// notFound reports whether err says the object is missing; a missing
// bucket is a configuration error and stays one.
func notFound(err error) bool {
	er := minio.ToErrorResponse(err)
	return er.Code == minio.NoSuchKey || (er.StatusCode == http.StatusNotFound && er.Code != minio.NoSuchBucket)
}

func (s *S3) object(key string) (string, error) {
	if err := validKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

// Put uploads in one request when the size is known and small, else in
// parts of s3PartSize; the object appears only when the upload completes.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if size < 0 {
		size = -1
	}
	info, err := s.client.PutObject(ctx, s.bucket, name, r, size, minio.PutObjectOptions{ContentType: contentType, PartSize: s3PartSize})
	if err == nil && size >= 0 && info.Size != size {
		err = fmt.Errorf("wrote %d bytes, expected %d", info.Size, size)
	}
	if err != nil {
		return fmt.Errorf("store media %s in s3 bucket %s: %w", key, s.bucket, err)
	}
	return nil
}

// Get stats the object before returning it, so that a missing key is
// reported here rather than at the first Read.
func (s *S3) Get(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	if err == nil {
		_, err = obj.Stat()
		if err != nil {
			obj.Close()
		}
	}
	if err != nil {
		if notFound(err) {
			return nil, fmt.Errorf("media file %s: %w", key, model.ErrNotFound)
		}
		return nil, fmt.Errorf("media file %s in s3 bucket %s: %w", key, s.bucket, err)
	}
	return obj, nil
}

func (s *S3) Stat(ctx context.Context, key string) (FileInfo, error) {
	name, err := s.object(key)
	if err != nil {
		return FileInfo{}, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	if err != nil {
		if notFound(err) {
			return FileInfo{}, fmt.Errorf("media file %s: %w", key, model.ErrNotFound)
		}
		return FileInfo{}, fmt.Errorf("media file %s in s3 bucket %s: %w", key, s.bucket, err)
	}
	return FileInfo{Key: key, Size: oi.Size, ModTime: oi.LastModified}, nil
}

func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil && !notFound(err) {
		return fmt.Errorf("delete media %s in s3 bucket %s: %w", key, s.bucket, err)
	}
	return nil
}

// List pages through the bucket's listing, which S3 returns in key
// order. Folder markers (keys ending in "/") are not files and are
// skipped.
func (s *S3) List(ctx context.Context, prefix string, fn func(FileInfo) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	objects := s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true})
	for oi := range objects {
		if oi.Err != nil {
			return fmt.Errorf("list media %q in s3 bucket %s: %w", prefix, s.bucket, oi.Err)
		}
		key, ok := strings.CutPrefix(oi.Key, s.prefix)
		if !ok || strings.HasSuffix(key, "/") || path.Clean(key) != key {
			continue
		}
		if err := fn(FileInfo{Key: key, Size: oi.Size, ModTime: oi.LastModified}); err != nil {
			return err
		}
	}
	return ctx.Err()
}
