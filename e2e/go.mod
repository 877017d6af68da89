module github.com/partnerskap/partnerskap/e2e

go 1.26
