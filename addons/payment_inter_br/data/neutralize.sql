-- blank the Banco Inter secrets on database copies
UPDATE payment_provider
   SET inter_br_client_secret = NULL,
       inter_br_webhook_secret = NULL,
       inter_br_api_url = NULL,
       inter_br_ca_bundle = NULL;
DELETE FROM ir_attachment
 WHERE res_model = 'payment.provider'
   AND res_field IN ('inter_br_certificate', 'inter_br_certificate_key');
