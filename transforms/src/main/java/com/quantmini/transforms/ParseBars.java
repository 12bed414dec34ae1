package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.CsvChunk;
import com.quantmini.transforms.model.DeadLetter;
import com.quantmini.transforms.model.FileLedger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Parses CSV chunks into typed, validated bars: one sorted, de-duplicated {@link BarBlock} per
 * source file on {@link #PARSED}, every rejected line on {@link #FAILED}. A file whose end marker
 * never arrives (ReadGzipCsv rejected it) yields no bars at all: its rows are counted, not written.
 */
public final class ParseBars extends PTransform<PCollection<CsvChunk>, PCollectionTuple> {
  public static final TupleTag<BarBlock> PARSED = new TupleTag<BarBlock>() {};
  public static final TupleTag<DeadLetter> FAILED = new TupleTag<DeadLetter>() {};
  /**
   * One line per file read whole, keyed by dataset, for the manifest:
   * {@code key, size, etag, rows read, rows written, rows quarantined} tab-separated.
   */
  public static final TupleTag<KV<String, FileLedger>> FILES = new TupleTag<KV<String, FileLedger>>() {};
  private static final TupleTag<KV<String, BarBlock>> CHUNKS = new TupleTag<KV<String, BarBlock>>() {};
  /** Files whose every chunk and end marker came in one bundle: grouped already. */
  private static final TupleTag<KV<String, Iterable<BarBlock>>> WHOLE =
      new TupleTag<KV<String, Iterable<BarBlock>>>() {};

  private ParseBars() {}

  public static ParseBars create() {
    return new ParseBars();
  }

  @Override
  public PCollectionTuple expand(PCollection<CsvChunk> chunks) {
    PCollectionTuple parsed = chunks.apply("ParseChunks",
        ParDo.of(new ParseChunkFn()).withOutputTags(CHUNKS, TupleTagList.of(FAILED).and(WHOLE)));
    parsed.get(CHUNKS).setCoder(KvCoder.of(StringUtf8Coder.of(), BarBlock.BlockCoder.of()));
    parsed.get(WHOLE).setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(BarBlock.BlockCoder.of())));
    DeadLetter.withCoder(parsed.get(FAILED));
    PCollection<KV<String, Iterable<BarBlock>>> grouped = parsed.get(CHUNKS)
        .apply("GroupByFile", ShardedGroupByKey.create());
    PCollectionTuple files = PCollectionList.of(parsed.get(WHOLE)).and(grouped)
        .apply("WholeAndGrouped", Flatten.pCollections())
        .apply("AssembleFiles",
            ParDo.of(new AssembleFileFn()).withOutputTags(PARSED, TupleTagList.of(FAILED).and(FILES)));
    files.get(PARSED).setCoder(BarBlock.BlockCoder.of());
    files.get(FILES).setCoder(KvCoder.of(StringUtf8Coder.of(), FileLedger.FileLedgerCoder.of()));
    DeadLetter.withCoder(files.get(FAILED));
    PCollection<DeadLetter> failed = PCollectionList.of(parsed.get(FAILED)).and(files.get(FAILED))
        .apply("FlattenFailed", Flatten.pCollections());
    return PCollectionTuple.of(PARSED, files.get(PARSED)).and(FAILED, failed).and(FILES, files.get(FILES));
  }

  /**
   * Parses one chunk. A file whose chunks and end marker all come in one bundle (the reader emits a
   * file's chunks together) leaves as one group; the chunks of any other file go, keyed by source,
   * to a GroupByKey at the end of the bundle. The Direct runner's GroupByKey copies a key's group
   * every time a bundle adds to it, which cost more than parsing.
   */
  static final class ParseChunkFn extends DoFn<CsvChunk, KV<String, BarBlock>> {
    private final Counter parsedRows = Metrics.counter(ParseBars.class, "rowsParsed");
    private final Counter rejectedRows = Metrics.counter(ParseBars.class, "rowsRejected");
    private final Counter wholeInBundle = Metrics.counter(ParseBars.class, "filesWholeInBundle");

    private final Distribution micros = Metrics.distribution(ParseBars.class, "parseMicros");

    private transient Map<String, FileParts> pending;

    @StartBundle
    public void startBundle() {
      pending = new LinkedHashMap<>();
    }

    @ProcessElement
    public void process(@Element CsvChunk chunk, @Timestamp Instant time, MultiOutputReceiver out) {
      StepClock.micros(micros, () -> doProcess(chunk, time, out));
    }

    private void doProcess(CsvChunk chunk, Instant time, MultiOutputReceiver out) {
      String source = chunk.file().getKey();
      FileParts parts = pending.computeIfAbsent(source, k -> new FileParts(time));
      if (chunk.isLast()) {
        parts.end(BarBlock.endOfFile(chunk.file().getDataset(), source,
            chunk.file().getSession(), chunk.lines(), chunk.file().getSizeBytes(), chunk.file().getEtag()),
            chunk.lines());
      } else {
        BarBlock block = BarParser.parse(chunk, d -> {
          rejectedRows.inc();
          out.get(FAILED).output(d);
        });
        parsedRows.inc(block.size());
        parts.add(block, chunk.firstLine(), chunk.lines());
      }
      if (parts.whole()) {
        pending.remove(source);
        wholeInBundle.inc();
        out.get(WHOLE).output(KV.of(source, parts.blocks));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      pending.forEach((source, parts) -> {
        for (BarBlock b : parts.blocks) {
          c.output(CHUNKS, KV.of(source, b), parts.time, GlobalWindow.INSTANCE);
        }
      });
      pending = null;
    }
  }

  /** What one bundle has seen of a file: its parsed chunks, and whether they are all of it. */
  static final class FileParts {
    final Instant time;
    final List<BarBlock> blocks = new ArrayList<>();
    private final Set<Integer> firstLines = new HashSet<>();
    private long lines;
    private long total = -1;
    /** A chunk seen twice: this bundle cannot tell the file whole, the GroupByKey decides. */
    private boolean repeated;

    FileParts(Instant time) {
      this.time = time;
    }

    void add(BarBlock block, int firstLine, int chunkLines) {
      blocks.add(block);
      repeated |= !firstLines.add(firstLine);
      lines += chunkLines;
    }

    void end(BarBlock marker, int totalLines) {
      blocks.add(marker);
      repeated |= total >= 0;
      total = totalLines;
    }

    /** The end marker and chunks holding exactly its line count, none twice. */
    boolean whole() {
      return !repeated && total >= 0 && lines == total;
    }
  }

  /** Sorts and de-duplicates one file's rows, or drops them when the file was not read whole. */
  static final class AssembleFileFn extends DoFn<KV<String, Iterable<BarBlock>>, BarBlock> {
    private final Counter exactDuplicates = Metrics.counter(ParseBars.class, "rowsExactDuplicate");
    private final Counter conflicting = Metrics.counter(ParseBars.class, "rowsDuplicateConflict");
    private final Counter incomplete = Metrics.counter(ParseBars.class, "rowsOfRejectedFiles");
    private final Counter files = Metrics.counter(ParseBars.class, "filesAssembled");
    private final Distribution rowsPerFile = Metrics.distribution(ParseBars.class, "rowsPerFile");

    private final Distribution micros = Metrics.distribution(ParseBars.class, "assembleMicros");

    @ProcessElement
    public void process(@Element KV<String, Iterable<BarBlock>> file, MultiOutputReceiver out) {
      StepClock.micros(micros, () -> doProcess(file, out));
    }

    private void doProcess(KV<String, Iterable<BarBlock>> file, MultiOutputReceiver out) {
      List<BarBlock> parts = new ArrayList<>();
      BarBlock end = null;
      long rows = 0;
      for (BarBlock b : file.getValue()) {
        if (b.isLast()) {
          end = b;
        } else {
          parts.add(b);
          rows += b.size();
        }
      }
      if (end == null) {
        incomplete.inc(rows);
        return;
      }
      int written = 0;
      int duplicates = 0;
      if (rows > 0) {
        SessionAssembler.Result r = SessionAssembler.assemble(parts, d -> out.get(FAILED).output(d));
        exactDuplicates.inc(r.exactDuplicates);
        conflicting.inc(r.conflicting);
        rowsPerFile.update(r.block.size());
        written = r.block.size();
        duplicates = r.exactDuplicates;
        if (written > 0) {
          out.get(PARSED).output(r.block);
        }
      }
      files.inc();
      out.get(FILES).output(KV.of(end.dataset(), new FileLedger(end.source(), end.fileSize(), end.fileEtag(),
          end.fileLines(), written, end.fileLines() - written - duplicates)));
    }
  }
}
