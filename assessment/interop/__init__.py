"""Exchange with other tools: tables (CSV, XLSX, JSON)."""
