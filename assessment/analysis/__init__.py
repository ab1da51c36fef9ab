"""Pure analysis: from validated answers to scores and recommendations. No files, no pages."""
