/*
 * The lag runs' producer (bench/lag-producer.ts): Apache Kafka's own Java client sending records that
 * the benchmark renders and writes to this process's standard input. kafkajs spent ~40-50 us of CPU
 * per 5.6 KB record (record batches encoded and CRC-32C computed in JavaScript), as much as cdc-sink
 * spends applying it, so at 50% load the generator took the cores the sink was to be measured on.
 *
 *   java -cp '<kafka libs>/*' bench/producer/FrameProducer.java <bootstrap> <topic>...
 *
 * Frames on stdin, big-endian: int32 topic index, int32 partition, int64 timestamp (ms), int32 key
 * length (-1: null), key bytes, int32 value length (-1: null, a tombstone), value bytes. A frame with
 * topic index -1 is a flush: every record before it is acknowledged, then one byte 'F' is written to
 * stdout. End of input: flush, close, exit 0. A failed send exits 1 with the error on stderr.
 *
 * The producer's own share of the measured lag: for every 5 seconds of record timestamps, the
 * longest time from a record's timestamp to its acknowledgement, as a line `ack <window start ms>
 * <max ms>` on stderr, every window so far on each flush and at the end (a window is reported again
 * with its longest so far).
 */
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class FrameProducer {
  private static final long ACK_WINDOW_MS = 5000;

  private static byte[] read(DataInputStream in) throws Exception {
    int n = in.readInt();
    if (n < 0) return null;
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void reportAcks(TreeMap<Long, Long> acks) {
    synchronized (acks) {
      for (var e : acks.entrySet()) System.err.println("ack " + e.getKey() + " " + e.getValue());
    }
  }

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(256L * 1024 * 1024));
    String[] topics = java.util.Arrays.copyOfRange(args, 1, args.length);
    AtomicReference<Exception> failed = new AtomicReference<>();
    // Window start (ms) -> longest timestamp-to-acknowledgement in it (ms). Partitions' batches are
    // acknowledged in any order, so windows are kept, not closed one after another.
    TreeMap<Long, Long> acks = new TreeMap<>();
    DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 20));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (;;) {
        int topic;
        try {
          topic = in.readInt();
        } catch (EOFException end) {
          break;
        }
        if (topic < 0) {
          producer.flush();
          reportAcks(acks);
          if (failed.get() != null) break;
          System.out.write('F');
          System.out.flush();
          continue;
        }
        int partition = in.readInt();
        long timestamp = in.readLong();
        byte[] key = read(in);
        byte[] value = read(in);
        producer.send(new ProducerRecord<>(topics[topic], partition, timestamp, key, value), (meta, err) -> {
          if (err != null) failed.compareAndSet(null, err);
          long delay = System.currentTimeMillis() - timestamp;
          synchronized (acks) {
            acks.merge(timestamp - timestamp % ACK_WINDOW_MS, delay, Math::max);
          }
        });
      }
      producer.flush();
    }
    reportAcks(acks);
    if (failed.get() != null) {
      System.err.println("send failed: " + failed.get());
      System.exit(1);
    }
  }
}
