"""Data manager: columns, views (tabs), filters/ordering/selection compiled to SQL, actions."""
