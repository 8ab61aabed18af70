"""Ways a message leaves the service (SMTP, a folder, GOV.UK Notify), each `deliver(mail) -> id`."""
