"""Web push: the VAPID identity, outbound safety and sending."""
