// Package docstream serves the two document routes grpc-gateway cannot: POST /v1/documents sends the request
// body (the raw file) to the partnership service's UploadDocument a piece at a time, and
// GET /v1/documents/{id}:download writes DownloadDocument's pieces into the answer as they come. A file is
// never held whole in the gateway, whatever its size.
//
// Both go through the mux like every route: the same authentication middleware, header forwarding
// (runtime.AnnotateContext), error bodies (runtime.HTTPError) and access log.
package docstream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/gateway/internal/codec"
)

// The routes.
const (
	UploadPath   = "/v1/documents"
	DownloadPath = "/v1/documents/{id}:download"
	// PublicPrefix is where documents ICLD published are served to anyone, token or not.
	PublicPrefix       = "/v1/public/"
	PublicDownloadPath = "/v1/public/documents/{id}:download"
)

// chunkSize is the size of the pieces an upload is sent in: well under the service's 1 MiB per message.
const chunkSize = 256 << 10

// timeout bounds one transfer. A file of the largest size on a slow line takes minutes, not the seconds an
// ordinary call is allowed.
const timeout = 10 * time.Minute

// Register adds the two routes to mux, calling client.
func Register(mux *runtime.ServeMux, client pb.DocumentServiceClient) error {
	if err := mux.HandlePath(http.MethodPost, UploadPath, upload(mux, client)); err != nil {
		return fmt.Errorf("route %s: %w", UploadPath, err)
	}
	if err := mux.HandlePath(http.MethodGet, DownloadPath, download(mux, DownloadPath, "DownloadDocument", client.DownloadDocument)); err != nil {
		return fmt.Errorf("route %s: %w", DownloadPath, err)
	}
	if err := mux.HandlePath(http.MethodGet, PublicDownloadPath, download(mux, PublicDownloadPath, "DownloadPublicDocument", client.DownloadPublicDocument)); err != nil {
		return fmt.Errorf("route %s: %w", PublicDownloadPath, err)
	}
	return nil
}

// downloader is one of the service's two downloads.
type downloader func(ctx context.Context, in *pb.DownloadDocumentRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[pb.DownloadDocumentResponse], error)

// fail writes err as the gateway writes every error.
func fail(ctx context.Context, mux *runtime.ServeMux, w http.ResponseWriter, r *http.Request, err error) {
	runtime.HTTPError(ctx, mux, codec.New(), w, r, err)
}

// upload streams the request body to UploadDocument. The header comes from the query (partnershipId, kind,
// fileName, reportId, in either spelling), the file name otherwise from Content-Disposition.
func upload(mux *runtime.ServeMux, client pb.DocumentServiceClient) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, _ map[string]string) {
		ctx, err := runtime.AnnotateContext(r.Context(), mux, r, "/partnerskap.partnership.v1.DocumentService/UploadDocument",
			runtime.WithHTTPPathPattern(UploadPath))
		if err != nil {
			fail(r.Context(), mux, w, r, err)
			return
		}
		header := &pb.DocumentHeader{}
		if err := runtime.PopulateQueryParameters(header, r.URL.Query(), utilities.NewDoubleArray(nil)); err != nil {
			fail(ctx, mux, w, r, status.Error(codes.InvalidArgument, err.Error()))
			return
		}
		if header.GetFileName() == "" {
			header.FileName = dispositionName(r.Header.Get("Content-Disposition"))
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		stream, err := client.UploadDocument(ctx)
		if err != nil {
			fail(ctx, mux, w, r, err)
			return
		}
		if err := stream.Send(&pb.UploadDocumentRequest{Part: &pb.UploadDocumentRequest_Header{Header: header}}); err != nil && !errors.Is(err, io.EOF) {
			fail(ctx, mux, w, r, err)
			return
		}
		buf := make([]byte, chunkSize)
		for {
			n, readErr := io.ReadFull(r.Body, buf)
			if n > 0 {
				if err := stream.Send(&pb.UploadDocumentRequest{Part: &pb.UploadDocumentRequest_Chunk{Chunk: buf[:n]}}); err != nil {
					// The service stopped reading: it refused the file; CloseAndRecv has its answer.
					break
				}
			}
			if errors.Is(readErr, io.EOF) || errors.Is(readErr, io.ErrUnexpectedEOF) {
				break
			}
			if readErr != nil {
				// The body passed its limit (the error handler answers 413) or the client went away.
				cancel()
				fail(ctx, mux, w, r, readErr)
				return
			}
		}
		doc, err := stream.CloseAndRecv()
		if err != nil {
			fail(ctx, mux, w, r, unheaded(err))
			return
		}
		body, err := codec.New().Marshal(doc)
		if err != nil {
			fail(ctx, mux, w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"`+doc.GetEtag()+`"`)
		w.Header().Set("Location", "/v1/documents/"+doc.GetId())
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(body)
	}
}

// dispositionName is the file name a Content-Disposition header gives, "" when it gives none.
func dispositionName(header string) string {
	_, params, err := mime.ParseMediaType(header)
	if err != nil {
		return ""
	}
	return params["filename"]
}

// download streams a download's pieces into the answer, with the document's type, size and name.
func download(mux *runtime.ServeMux, pattern, method string, call downloader) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		ctx, err := runtime.AnnotateContext(r.Context(), mux, r, "/partnerskap.partnership.v1.DocumentService/"+method,
			runtime.WithHTTPPathPattern(pattern))
		if err != nil {
			fail(r.Context(), mux, w, r, err)
			return
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		stream, err := call(ctx, &pb.DownloadDocumentRequest{Id: params["id"]})
		if err != nil {
			fail(ctx, mux, w, r, err)
			return
		}
		first, err := stream.Recv()
		if err != nil {
			fail(ctx, mux, w, r, err)
			return
		}
		doc := first.GetDocument()
		if doc == nil {
			fail(ctx, mux, w, r, status.Error(codes.Internal, "the partnership service sent no document before its bytes"))
			return
		}
		h := w.Header()
		h.Set("Content-Type", doc.GetContentType())
		h.Set("Content-Length", fmt.Sprint(doc.GetSize()))
		h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(doc.GetFileName()))
		h.Set("ETag", `"`+doc.GetEtag()+`"`)
		w.WriteHeader(http.StatusOK)
		for {
			msg, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				// The status line is sent: cut the connection, so the client sees a short body and not a whole file.
				slog.WarnContext(ctx, "document download broke off", "document", doc.GetId(), "error", err.Error())
				panic(http.ErrAbortHandler)
			}
			if _, err := w.Write(msg.GetChunk()); err != nil {
				return
			}
		}
	}
}

// unheaded names the fields of an upload's refusal as the query names them: the service checks the header
// message ("header.partnership_id"), which the REST client wrote as query parameters ("partnershipId").
func unheaded(err error) error {
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	p := st.Proto()
	for i, d := range p.GetDetails() {
		var br errdetails.BadRequest
		if d.UnmarshalTo(&br) != nil {
			continue
		}
		for _, v := range br.GetFieldViolations() {
			v.Field = strings.TrimPrefix(v.GetField(), "header.")
		}
		if a, err := anypb.New(&br); err == nil {
			p.Details[i] = a
		}
	}
	p.Message = strings.ReplaceAll(p.GetMessage(), "header.", "")
	return status.FromProto(p).Err()
}
