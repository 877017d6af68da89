package documents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// Bucket holds the files' bytes, one object per content under "sha256/<hex>".
type Bucket struct {
	b *blob.Bucket
}

// Open opens the bucket at url: "file:///path?create_dir=true", "mem://", or a cloud URL ("s3://...",
// "gs://...", "azblob://...") whose driver the binary links.
func Open(ctx context.Context, url string) (*Bucket, error) {
	b, err := blob.OpenBucket(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open the documents bucket: %w", err)
	}
	return &Bucket{b: b}, nil
}

// Close closes the bucket.
func (b *Bucket) Close() error { return b.b.Close() }

// key is where a content is kept.
func key(sum string) string { return "sha256/" + sum }

// Stored is what Put learnt of a file.
type Stored struct {
	SHA256 string
	Size   int64
}

// ErrTooLarge is Put's error for a file over its limit; nothing of it is kept.
var ErrTooLarge = errors.New("the file is larger than the limit")

// Put writes the file r holds, at most limit bytes, streaming it to the bucket under a temporary key named
// tempName while hashing it, then keeps it under its SHA-256 (once: a content already kept is not written
// again). Nothing is kept of a file that fails or is over the limit (ErrTooLarge).
func (b *Bucket) Put(ctx context.Context, tempName string, r io.Reader, limit int64) (Stored, error) {
	temp := "incoming/" + tempName
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := b.b.NewWriter(wctx, temp, nil)
	if err != nil {
		return Stored{}, fmt.Errorf("write %s: %w", temp, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err != nil {
		cancel() // a cancelled writer discards what it was given
		_ = w.Close()
		return Stored{}, err
	}
	if err := w.Close(); err != nil {
		return Stored{}, fmt.Errorf("write %s: %w", temp, err)
	}
	defer func() { _ = b.b.Delete(context.WithoutCancel(ctx), temp) }()
	sum := hex.EncodeToString(h.Sum(nil))
	exists, err := b.b.Exists(ctx, key(sum))
	if err != nil {
		return Stored{}, fmt.Errorf("look for %s: %w", key(sum), err)
	}
	if !exists {
		if err := b.b.Copy(ctx, key(sum), temp, nil); err != nil {
			return Stored{}, fmt.Errorf("keep %s: %w", key(sum), err)
		}
	}
	return Stored{SHA256: sum, Size: n}, nil
}

// Open returns the bytes of the content with SHA-256 sum; a missing one is an error that IsNotFound reports.
func (b *Bucket) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	return b.b.NewReader(ctx, key(sum), nil)
}

// Exists reports whether the content with SHA-256 sum is kept.
func (b *Bucket) Exists(ctx context.Context, sum string) (bool, error) {
	ok, err := b.b.Exists(ctx, key(sum))
	if err != nil {
		return false, fmt.Errorf("look for %s: %w", key(sum), err)
	}
	return ok, nil
}

// Delete deletes the content with SHA-256 sum; one already gone is no error.
func (b *Bucket) Delete(ctx context.Context, sum string) error {
	if err := b.b.Delete(ctx, key(sum)); err != nil && !IsNotFound(err) {
		return fmt.Errorf("delete %s: %w", key(sum), err)
	}
	return nil
}

// IsNotFound reports whether err says an object does not exist.
func IsNotFound(err error) bool { return gcerrors.Code(err) == gcerrors.NotFound }
