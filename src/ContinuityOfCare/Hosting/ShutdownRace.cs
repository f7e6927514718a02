namespace ContinuityOfCare.Hosting;

/// <summary>
/// JasperFx's projection coordinator (6.x) can be stopped while its hot/cold leadership loop is restarting its runner;
/// the stop then cancels a CancellationTokenSource the restart has just disposed. It happens only during shutdown,
/// after every event is committed and the daemon has stopped, so it is reported and not treated as a failed stop.
/// </summary>
public static class ShutdownRace
{
    public static bool IsProjectionCoordinatorStop(Exception e) => e switch
    {
        ObjectDisposedException disposed =>
            disposed.StackTrace?.Contains("ProjectionCoordinatorBase", StringComparison.Ordinal) == true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsProjectionCoordinatorStop),
        _ => false,
    };
}
