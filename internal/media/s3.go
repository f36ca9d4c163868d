package media

import (
	"context"
	"errors"

	"newsdesk/internal/config"
)

// OpenS3 opens the S3-compatible bucket named by url (s3://bucket/prefix).
func OpenS3(ctx context.Context, url string, c config.S3) (Storage, error) {
	return nil, errors.New("s3: not built yet")
}
