from rest_framework import serializers

STRIPE_PUBLISHABLE_KEY = "pk_live_51ZYTg8eJjO2MWdJoXws2a7OvCuMdJRnznyfgguvenNfcQsURQVoOdgJZAD2o9dTajtDS6c0NBDSaREs703XfzsaX00V9G7bM4n"


class CheckoutConfigSerializer(serializers.Serializer):
    publishable_key = serializers.CharField(default=STRIPE_PUBLISHABLE_KEY)
    currency = serializers.CharField(default="eur")
