"""Maps: what each page's map shows, computed once, and the Leaflet layers, legends, colour
scales, URL view state and locally served assets that draw it."""
