// Package documents keeps the bytes of a partnership's files in a blob bucket (gocloud.dev/blob: a
// directory in development, S3, GCS or Azure in production), each content once under its SHA-256, and
// decides which files are allowed from their first bytes, never from what the uploader declares.
package documents

import (
	"bytes"
	"net/http"
	"path"
	"strings"
)

// SniffLen is how many of a file's first bytes ContentType reads.
const SniffLen = 512

// officeTypes are the office formats allowed, by file extension: the zip-based (Office Open XML and
// OpenDocument) and the older compound-file ones, whose first bytes say only "zip" or "compound file".
var officeTypes = map[string]struct {
	contentType string
	zip         bool
}{
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", true},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true},
	".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", true},
	".odt":  {"application/vnd.oasis.opendocument.text", true},
	".ods":  {"application/vnd.oasis.opendocument.spreadsheet", true},
	".doc":  {"application/msword", false},
	".xls":  {"application/vnd.ms-excel", false},
	".ppt":  {"application/vnd.ms-powerpoint", false},
}

// compoundFile is the signature of the older office formats (OLE2).
var compoundFile = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// ContentType returns the type of a file from its first bytes (head, up to SniffLen) and, for office
// formats, its name's extension; ok is false for a type that is not allowed: PDF, JPEG, PNG and office
// documents are.
func ContentType(head []byte, fileName string) (contentType string, ok bool) {
	switch sniffed := http.DetectContentType(head); sniffed {
	case "application/pdf", "image/jpeg", "image/png":
		return sniffed, true
	case "application/zip":
		if t, known := officeTypes[strings.ToLower(path.Ext(fileName))]; known && t.zip {
			return t.contentType, true
		}
	default:
		if t, known := officeTypes[strings.ToLower(path.Ext(fileName))]; known && !t.zip && bytes.HasPrefix(head, compoundFile) {
			return t.contentType, true
		}
	}
	return "", false
}

// Allowed names the allowed types in words, for refusals.
const Allowed = "PDF, JPEG, PNG, Word, Excel, PowerPoint and OpenDocument files"
