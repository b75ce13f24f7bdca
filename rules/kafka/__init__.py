"""Kafka rules: sarama (IBM and Shopify paths), franz-go, kafka-go, confluent-kafka-go."""

SARAMA = ("sarama",)
