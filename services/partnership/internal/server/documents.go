package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/documents"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// DocumentSettings are where the documents' bytes are kept and how large one may be.
type DocumentSettings struct {
	BucketURL string `env:"DOCUMENTS_BUCKET_URL" help:"where documents' bytes are kept: file:///path?create_dir=true, or s3://, gs:// or azblob:// in production (gocloud.dev/blob URLs); make run uses .run/documents"`
	MaxBytes  int64  `env:"DOCUMENTS_MAX_BYTES" help:"the largest document accepted, in bytes"`
}

// DefaultDocumentSettings keep documents under ./documents beside the service, up to 20 MiB each.
func DefaultDocumentSettings() DocumentSettings {
	return DocumentSettings{BucketURL: "file://./documents?create_dir=true", MaxBytes: 20 << 20}
}

// chunkSize is the size of the pieces a download is sent in.
const chunkSize = 64 << 10

// DocumentServer implements partnerskap.partnership.v1.DocumentService.
type DocumentServer struct {
	pb.UnimplementedDocumentServiceServer
	pool     *pgxpool.Pool
	bucket   *documents.Bucket
	maxBytes int64
}

// NewDocuments returns a DocumentServer keeping bytes in bucket, each file at most maxBytes.
func NewDocuments(pool *pgxpool.Pool, bucket *documents.Bucket, maxBytes int64) *DocumentServer {
	return &DocumentServer{pool: pool, bucket: bucket, maxBytes: maxBytes}
}

// UploadDocument keeps a file for a partnership the caller sees (an auditor only reads). Its type is read
// from its first bytes; its bytes go to the bucket as they arrive, and its record is written once they are
// all kept, so a failed upload leaves no record.
func (s *DocumentServer) UploadDocument(stream pb.DocumentService_UploadDocumentServer) error {
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	h := first.GetHeader()
	if h == nil {
		return fault.InvalidField("header", "the first message of an upload is its header: partnership_id, kind and file_name")
	}
	if _, err := readable(ctx, s.pool, h.GetPartnershipId()); err != nil {
		return err
	}
	kind := enumword.Word(h.GetKind())
	switch {
	case h.GetReportId() != "":
		if _, err := store.GetReport(ctx, s.pool, h.GetPartnershipId(), h.GetReportId()); err != nil {
			var nf *fault.NotFound
			if errors.As(err, &nf) {
				return fault.InvalidField("header.report_id", "is not a report of this partnership")
			}
			return err
		}
	case h.GetKind() == pb.DocumentKind_DOCUMENT_KIND_REPORT_ATTACHMENT:
		return fault.InvalidField("header.report_id", "is empty; a report attachment names its report")
	}
	body := &uploadReader{stream: stream}
	head := make([]byte, documents.SniffLen)
	n, err := io.ReadFull(body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	if n == 0 {
		return fault.InvalidField("body", "the file is empty")
	}
	contentType, ok := documents.ContentType(head[:n], h.GetFileName())
	if !ok {
		return fault.InvalidField("body", fmt.Sprintf("%q is not a file the programme keeps, by its first bytes; upload %s", h.GetFileName(), documents.Allowed))
	}
	kept, err := s.bucket.Put(ctx, record.NewID(), io.MultiReader(bytes.NewReader(head[:n]), body), s.maxBytes)
	switch {
	case errors.Is(err, documents.ErrTooLarge):
		return &fault.Invalid{Reason: "DOCUMENT_TOO_LARGE", Violations: []fault.FieldViolation{{Field: "body",
			Description: fmt.Sprintf("the file is larger than %d bytes, the largest a document may be", s.maxBytes)}}}
	case err != nil:
		return err
	}
	var out *pb.Document
	err = postgres.InTx(ctx, s.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		d, err := store.CreateDocument(ctx, tx, store.Document{PartnershipID: h.GetPartnershipId(), Kind: kind, FileName: h.GetFileName(),
			ContentType: contentType, Size: kept.Size, SHA256: kept.SHA256, ReportID: h.GetReportId(), PersonEmail: h.GetPersonEmail()},
			record.ActorFrom(ctx), func(sum string) (bool, error) { return s.bucket.Exists(ctx, sum) })
		out = documentToProto(d)
		return err
	})
	if errors.Is(err, store.ErrContentErased) {
		return &fault.Conflict{Reason: "DOCUMENT_ERASED_MEANWHILE", Message: "a document with the same bytes was erased while this one was uploaded; upload it again"}
	}
	if err != nil {
		return err
	}
	return stream.SendAndClose(out)
}

// uploadReader reads an upload's bytes from the messages after its header.
type uploadReader struct {
	stream pb.DocumentService_UploadDocumentServer
	rest   []byte
}

func (u *uploadReader) Read(p []byte) (int, error) {
	for len(u.rest) == 0 {
		msg, err := u.stream.Recv()
		if err != nil {
			return 0, err // io.EOF at the end of the upload
		}
		if msg.GetHeader() != nil {
			return 0, fault.InvalidField("header", "an upload has one header, in its first message")
		}
		u.rest = msg.GetChunk()
	}
	n := copy(p, u.rest)
	u.rest = u.rest[n:]
	return n, nil
}

// document reads a document's record for a caller who sees its partnership; to anyone else it does not exist,
// and the answer names the document, not the partnership.
func (s *DocumentServer) document(ctx context.Context, id string) (store.Document, error) {
	d, err := store.GetDocument(ctx, s.pool, id)
	if err != nil {
		return d, err
	}
	if _, err := readable(ctx, s.pool, d.PartnershipID); err != nil {
		var nf *fault.NotFound
		if errors.As(err, &nf) {
			return store.Document{}, &fault.NotFound{Kind: "document", ID: id}
		}
		return store.Document{}, err
	}
	return d, nil
}

// DownloadDocument sends a document's record, then its bytes in pieces.
func (s *DocumentServer) DownloadDocument(req *pb.DownloadDocumentRequest, stream pb.DocumentService_DownloadDocumentServer) error {
	d, err := s.document(stream.Context(), req.GetId())
	if err != nil {
		return err
	}
	return s.send(stream, d)
}

// DownloadPublicDocument sends a document ICLD made public, to anyone; every other document is not found,
// whoever asks.
func (s *DocumentServer) DownloadPublicDocument(req *pb.DownloadDocumentRequest, stream pb.DocumentService_DownloadPublicDocumentServer) error {
	d, err := store.GetDocument(stream.Context(), s.pool, req.GetId())
	if err != nil {
		return err
	}
	if !d.Public {
		return &fault.NotFound{Kind: "document", ID: req.GetId()}
	}
	return s.send(stream, d)
}

// BatchGetDocuments returns the documents asked for, in the order asked, when the caller sees every one.
func (s *DocumentServer) BatchGetDocuments(ctx context.Context, req *pb.BatchGetDocumentsRequest) (*pb.BatchGetDocumentsResponse, error) {
	ds, err := store.GetDocuments(ctx, s.pool, req.GetIds())
	if err != nil {
		return nil, err
	}
	byID := make(map[string]store.Document, len(ds))
	seen := map[string]bool{} // partnerships, by whether the caller sees them
	for _, d := range ds {
		sees, asked := seen[d.PartnershipID]
		if !asked {
			_, err := readable(ctx, s.pool, d.PartnershipID)
			if err != nil && !fault.IsNotFound(err) {
				return nil, err
			}
			sees = err == nil
			seen[d.PartnershipID] = sees
		}
		if sees {
			byID[d.ID] = d
		}
	}
	resp := &pb.BatchGetDocumentsResponse{Documents: make([]*pb.Document, len(req.GetIds()))}
	for i, id := range req.GetIds() {
		d, ok := byID[id]
		if !ok {
			return nil, &fault.NotFound{Kind: "document", ID: id}
		}
		resp.Documents[i] = documentToProto(d)
	}
	return resp, nil
}

// downloadStream is what both downloads send on.
type downloadStream interface {
	Context() context.Context
	Send(*pb.DownloadDocumentResponse) error
}

// send sends d's record, then its bytes in pieces; an erased document has none.
func (s *DocumentServer) send(stream downloadStream, d store.Document) error {
	ctx := stream.Context()
	if d.Erased {
		return &fault.FailedPrecondition{Reason: "DOCUMENT_ERASED", Message: fmt.Sprintf("document %s was erased with the person it was about; its file is gone", d.ID),
			Violations: []fault.PreconditionViolation{{Type: "DOCUMENT_ERASED", Subject: "documents/" + d.ID, Description: "erased with the person it was about"}}}
	}
	r, err := s.bucket.Open(ctx, d.SHA256)
	if err != nil {
		if documents.IsNotFound(err) {
			return fmt.Errorf("document %s: its bytes (sha256 %s) are missing from the bucket", d.ID, d.SHA256)
		}
		return err
	}
	defer r.Close()
	if err := stream.Send(&pb.DownloadDocumentResponse{Part: &pb.DownloadDocumentResponse_Document{Document: documentToProto(d)}}); err != nil {
		return err
	}
	buf := make([]byte, chunkSize)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if err := stream.Send(&pb.DownloadDocumentResponse{Part: &pb.DownloadDocumentResponse_Chunk{Chunk: buf[:n]}}); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// GetDocument returns a document's record.
func (s *DocumentServer) GetDocument(ctx context.Context, req *pb.GetDocumentRequest) (*pb.Document, error) {
	d, err := s.document(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	out := documentToProto(d)
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// ListDocuments lists a partnership's documents, oldest first.
func (s *DocumentServer) ListDocuments(ctx context.Context, req *pb.ListDocumentsRequest) (*pb.ListDocumentsResponse, error) {
	if _, err := readable(ctx, s.pool, req.GetPartnershipId()); err != nil {
		return nil, err
	}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), req.GetPartnershipId(), req.GetReportId())
	if err != nil {
		return nil, err
	}
	ds, err := store.ListDocuments(ctx, s.pool, req.GetPartnershipId(), req.GetReportId(), cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListDocumentsResponse{}
	ds, resp.NextPageToken = page.Close(cursor, ds, func(d store.Document) string { return d.ID })
	for _, d := range ds {
		resp.Documents = append(resp.Documents, documentToProto(d))
	}
	return resp, nil
}

// UpdateDocument makes a document public or not; only ICLD staff decide what is published.
func (s *DocumentServer) UpdateDocument(ctx context.Context, req *pb.UpdateDocumentRequest) (*pb.Document, error) {
	in := req.GetDocument()
	if in == nil {
		return nil, required("document")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, []string{"public"})
	if err != nil {
		return nil, err
	}
	d, err := s.document(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	if d.Erased && in.GetPublic() {
		return nil, &fault.FailedPrecondition{Reason: "DOCUMENT_ERASED", Message: "an erased document has no file to publish",
			Violations: []fault.PreconditionViolation{{Type: "DOCUMENT_ERASED", Subject: "documents/" + d.ID, Description: "erased with the person it was about"}}}
	}
	if d.Kind == "receipt" && in.GetPublic() {
		// A receipt names people and what they paid; the programme publishes results, not bookkeeping.
		return nil, &fault.FailedPrecondition{Reason: "RECEIPT_NOT_PUBLIC", Message: "a receipt is never published; publish report attachments, decisions and agreements",
			Violations: []fault.PreconditionViolation{{Type: "RECEIPT_NOT_PUBLIC", Subject: "documents/" + d.ID, Description: "receipts stay private"}}}
	}
	out, err := idempotency.Run(ctx, s.pool, req, func(tx pgx.Tx, _ *pb.Document) error {
		_, err := s.document(ctx, req.GetId())
		return err
	}, func(tx pgx.Tx) (*pb.Document, error) {
		current, err := store.GetDocument(ctx, tx, req.GetId())
		if err != nil {
			return nil, err
		}
		public := current.Public
		if len(paths) > 0 {
			public = in.GetPublic()
		}
		d, err := store.SetDocumentPublic(ctx, tx, req.GetId(), httpmeta.IfMatch(ctx, in.GetEtag()), public, record.ActorFrom(ctx))
		return documentToProto(d), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

func documentToProto(d store.Document) *pb.Document {
	return &pb.Document{Id: d.ID, PartnershipId: d.PartnershipID, Kind: enumword.Of[pb.DocumentKind](d.Kind), FileName: d.FileName,
		ContentType: d.ContentType, Size: d.Size, Sha256: d.SHA256, ReportId: d.ReportID, Public: d.Public, Etag: d.ETag(),
		CreateTime: timestamppb.New(d.CreateTime), Creator: d.Creator, PersonEmail: d.PersonEmail, Erased: d.Erased}
}

// DeleteErasedBytes deletes from bucket the bytes of the contents whose every document was erased, one
// content at a time under its row lock (store.ForgetErasedContent), until none is left or one fails. Each
// erasure runs it, and the service at start, for bytes a crash or a bucket outage left waiting.
func DeleteErasedBytes(ctx context.Context, pool *pgxpool.Pool, bucket *documents.Bucket) error {
	for {
		sums, err := store.ErasedContents(ctx, pool, 100)
		if err != nil || len(sums) == 0 {
			return err
		}
		for _, sum := range sums {
			err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
				return store.ForgetErasedContent(ctx, tx, sum, func() error { return bucket.Delete(ctx, sum) })
			})
			if err != nil {
				return err
			}
		}
		if len(sums) < 100 {
			return nil
		}
	}
}
