DROP TABLE confirmed_items;
DROP TABLE disputes;
