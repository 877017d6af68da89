module github.com/partnerskap/partnerskap/gateway

go 1.26
