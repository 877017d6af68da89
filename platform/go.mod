module github.com/partnerskap/partnerskap/platform

go 1.26
