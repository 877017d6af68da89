module github.com/partnerskap/partnerskap/proto

go 1.26
