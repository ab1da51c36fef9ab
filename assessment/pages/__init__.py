"""The pages of a municipality's site: the page context and one builder per page."""
