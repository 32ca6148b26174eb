DROP TABLE page_secrets;
