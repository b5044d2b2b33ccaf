-- blank the PIX API secrets on database copies
UPDATE payment_provider
   SET pix_br_client_secret = NULL,
       pix_br_webhook_secret = NULL,
       pix_br_api_url = NULL,
       pix_br_ca_bundle = NULL;
DELETE FROM ir_attachment
 WHERE res_model = 'payment.provider'
   AND res_field IN ('pix_br_certificate', 'pix_br_certificate_key');
