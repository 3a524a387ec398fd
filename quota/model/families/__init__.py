"""One module per constraint family; ``quota.build.build_model`` calls them in order."""
