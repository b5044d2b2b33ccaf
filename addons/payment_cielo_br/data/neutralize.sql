-- blank the Cielo secrets on database copies
UPDATE payment_provider
   SET cielo_br_merchant_key = NULL,
       cielo_br_api_url = NULL,
       cielo_br_ca_bundle = NULL;
