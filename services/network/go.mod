module github.com/partnerskap/partnerskap/services/network

go 1.26
