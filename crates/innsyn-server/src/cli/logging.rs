use tracing_subscriber::EnvFilter;

use super::Fatal;
use crate::settings::{LogFormat, ServerSettings};

/// Logs go to standard error, in the configured format and filter.
pub(super) fn init_logging(server: &ServerSettings) -> Result<(), Fatal> {
    let filter = EnvFilter::try_new(&server.log_level)
        .map_err(|e| Fatal(format!("configuration: server.log_level: {e}")))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match server.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
    // Already initialised (tests) is fine.
    let _ = result;
    Ok(())
}
