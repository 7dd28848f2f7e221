"""The analysts' example queries (*.rq), shipped with the package so the query page can offer them."""
