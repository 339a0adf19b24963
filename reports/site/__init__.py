"""Site machinery shared by every dashboard page; `publish` renders the pages themselves."""
