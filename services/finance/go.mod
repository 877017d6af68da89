module github.com/partnerskap/partnerskap/services/finance

go 1.26
