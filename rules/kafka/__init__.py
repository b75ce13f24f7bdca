"""Kafka rules: sarama (IBM and Shopify paths), franz-go, kafka-go, confluent-kafka-go."""

SARAMA = ("sarama",)
KGO = ("kgo",)
KAFKA_GO = ("kafka-go",)
CONFLUENT = ("confluent-kafka-go",)
KAFKA_CLIENTS = SARAMA + KGO + KAFKA_GO + CONFLUENT
