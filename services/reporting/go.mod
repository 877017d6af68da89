module github.com/partnerskap/partnerskap/services/reporting

go 1.26
