package console

// defaultMaxDocumentBytes is the gateway's default MAX_DOCUMENT_BYTES, for a Config that names none.
const defaultMaxDocumentBytes = 20 << 20

// claimFormMaxBytes bounds the new claim form with its receipt files: what POST /v1/documents takes of one
// file (MAX_DOCUMENT_BYTES) for the files together, and room for the text fields. A larger form is refused
// before any of it is stored; each file still meets the API's own limits when it is uploaded.
func (c *Console) claimFormMaxBytes() int64 { return c.maxDocumentBytes + maxFormBytes }
