"""From rendered pages to published sites: MkDocs builds, workers, publishing, portal, serve."""
