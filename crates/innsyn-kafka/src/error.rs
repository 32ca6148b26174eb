use rdkafka::error::KafkaError;

/// Why consuming could not start or a replay could not finish.
#[derive(Debug, thiserror::Error)]
pub enum ConsumeError {
    /// A `[kafka]` setting that cannot work, by key.
    #[error("configuration: {0}")]
    Config(String),
    /// librdkafka refused (names brokers, topics and offsets, no content).
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
    /// The use case failed (the store, typically).
    #[error(transparent)]
    App(#[from] innsyn_app::AppError),
    /// A message to replay did not arrive in time.
    #[error("kafka: {0}")]
    Timeout(String),
}
