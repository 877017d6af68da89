package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/memblob"
)

func TestContentTypeFromTheBytes(t *testing.T) {
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	zip := []byte("PK\x03\x04\x14\x00\x06\x00")
	for _, tc := range []struct {
		name string
		head []byte
		file string
		want string
	}{
		{"a PDF", pdf, "report.pdf", "application/pdf"},
		{"a PDF named as a picture", pdf, "photo.jpg", "application/pdf"},
		{"a PNG", png, "chart.png", "image/png"},
		{"a Word document", zip, "minutes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"an older Excel file", append(append([]byte{}, compoundFile...), 0, 0), "budget.xls", "application/vnd.ms-excel"},
		{"a zip that is no office document", zip, "archive.zip", ""},
		{"an executable named as a PDF", []byte("MZ\x90\x00\x03\x00\x00\x00"), "receipt.pdf", ""},
		{"HTML", []byte("<!DOCTYPE html><script>"), "receipt.pdf", ""},
	} {
		got, ok := ContentType(tc.head, tc.file)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s: %q %v, want %q", tc.name, got, ok, tc.want)
		}
	}
}

// The bucket contract, for the filesystem driver and the in-memory one alike: a file is kept under its
// SHA-256, once however often it is put, read back whole; one over the limit leaves nothing behind.
func TestBucketContract(t *testing.T) {
	for name, url := range map[string]string{
		"file": "file://" + filepath.ToSlash(t.TempDir()) + "?create_dir=true",
		"mem":  "mem://",
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b, err := Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			content := bytes.Repeat([]byte("receipt "), 10_000)
			sum := sha256.Sum256(content)
			for i := range 2 {
				got, err := b.Put(ctx, "t"+string(rune('a'+i)), bytes.NewReader(content), 1<<20)
				if err != nil || got.SHA256 != hex.EncodeToString(sum[:]) || got.Size != int64(len(content)) {
					t.Fatalf("put %d: %+v %v", i, got, err)
				}
			}
			r, err := b.Open(ctx, hex.EncodeToString(sum[:]))
			if err != nil {
				t.Fatal(err)
			}
			back, err := io.ReadAll(r)
			_ = r.Close()
			if err != nil || !bytes.Equal(back, content) {
				t.Fatalf("read back %d bytes: %v", len(back), err)
			}
			if _, err := b.Put(ctx, "big", strings.NewReader(strings.Repeat("x", 101)), 100); !errors.Is(err, ErrTooLarge) {
				t.Fatalf("a file over the limit: %v", err)
			}
			over := sha256.Sum256([]byte(strings.Repeat("x", 101)))
			if _, err := b.Open(ctx, hex.EncodeToString(over[:])); !IsNotFound(err) {
				t.Fatalf("a file over the limit was kept: %v", err)
			}
			keys := 0
			it := b.b.List(nil)
			for {
				obj, err := it.Next(ctx)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(obj.Key, "sha256/") {
					t.Errorf("left behind: %s", obj.Key)
				}
				keys++
			}
			if keys != 1 {
				t.Errorf("%d objects, want the one content", keys)
			}
		})
	}
}
