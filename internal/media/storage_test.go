package media_test

import (
	"testing"

	"newsdesk/internal/media"
	"newsdesk/internal/media/storagetest"
)

func TestLocalStorage(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) media.Storage { return &media.Local{Dir: t.TempDir()} })
}
